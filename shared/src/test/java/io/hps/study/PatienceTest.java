package io.hps.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** I/O errors are retried, the JDK's undeclared ones from close(2) too. */
class PatienceTest {
  /** The JDK's sun.nio.fs.UnixException as code sees it: a checked exception no signature declares. */
  static final class UnixException extends Exception {
    UnixException(String message) {
      super(message);
    }
  }

  /** Throws {@code e} past the compiler's checks, as native code can. */
  @SuppressWarnings("unchecked")
  static <E extends Exception> void sneaky(Exception e) throws E {
    throw (E) e;
  }

  @Test
  void anUndeclaredCheckedExceptionFromTheJdkIsRetriedAsAnIoError() throws Exception {
    StringWriter log = new StringWriter();
    Patience patience = new Patience(Duration.ofSeconds(30), new PrintWriter(log, true), "master");
    int[] calls = {0};
    String value = patience.call("listing results/", () -> {
      if (calls[0]++ < 2) {
        PatienceTest.<RuntimeException>sneaky(new UnixException("Input/output error"));
      }
      return "done";
    });
    assertThat(value).isEqualTo("done");
    assertThat(patience.survived()).isEqualTo(2);
    assertThat(log.toString()).contains("I/O error while listing results/ (IOException: UnixException: Input/output"
        + " error); trying again");
  }
}
