package io.hps.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** I/O errors are retried, the JDK's undeclared ones from close(2) too. */
class PatienceTest {
  @Test
  void anUndeclaredCheckedExceptionFromTheJdkIsRetriedAsAnIoError() throws Exception {
    StringWriter log = new StringWriter();
    Patience patience = new Patience(Duration.ofSeconds(30), new PrintWriter(log, true), "master");
    int[] calls = {0};
    String value = patience.call("listing results/", () -> {
      if (calls[0]++ < 2) {
        UndeclaredErrors.throwUnixException("Input/output error");
      }
      return "done";
    });
    assertThat(value).isEqualTo("done");
    assertThat(patience.survived()).isEqualTo(2);
    assertThat(log.toString()).contains("I/O error while listing results/ (IOException: UnixException: Input/output"
        + " error); trying again");
  }
}
