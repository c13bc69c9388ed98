package io.hps.study;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * How a master or worker lives through I/O errors on a shared filesystem: an operation that fails
 * with an I/O error is tried again after a pause that doubles from 0.1 s to 5 s, with a line saying
 * what it waits for; only when errors have lasted longer than the patience without one success does
 * the last error end the process, with a message that says so. A success resets the clock. Errors that
 * are answers rather than accidents (a bad file, a replaced master) pass straight through.
 */
public final class Patience {
  /** The default patience: five minutes of nothing but errors. */
  public static final Duration DEFAULT = Duration.ofMinutes(5);
  private static final long FIRST_PAUSE_MS = 100;
  private static final long LAST_PAUSE_MS = 5000;

  private final Duration limit;
  private final PrintWriter log;
  private final String who;
  private long failingSince = -1;
  private long pause = FIRST_PAUSE_MS;
  private int survived;

  public Patience(Duration limit, PrintWriter log, String who) {
    if (limit.isNegative()) {
      throw new IllegalArgumentException("patience must be >= 0");
    }
    this.limit = limit;
    this.log = log;
    this.who = who;
  }

  /** An operation on the study directory. */
  public interface Action<T> {
    T run() throws IOException, InterruptedException;
  }

  /** Runs {@code action}, retrying I/O errors as the class says; {@code what} names it in messages. */
  public <T> T call(String what, Action<T> action) throws IOException, InterruptedException {
    while (true) {
      try {
        T value = action.run();
        if (failingSince >= 0) {
          log.printf("%s: %s works again after %.1f s of I/O errors%n", who, what,
              (System.nanoTime() - failingSince) / 1e9);
          log.flush();
        }
        failingSince = -1;
        pause = FIRST_PAUSE_MS;
        return value;
      } catch (UncheckedIOException e) {
        wait(what, e.getCause());
      } catch (BadFileException | Fatal e) {
        throw e;
      } catch (IOException e) {
        wait(what, e);
      } catch (InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        // A checked exception no signature declares: the JDK's native file code throws its own
        // sun.nio.fs.UnixException from close(2) (a failed close of a directory stream or of the file
        // Files.setLastModifiedTime opens). It is an I/O error like any other.
        wait(what, undeclared(e));
      }
    }
  }

  /** I/O errors survived so far (each retried). */
  public int survived() {
    return survived;
  }

  private void wait(String what, IOException e) throws IOException, InterruptedException {
    long now = System.nanoTime();
    if (failingSince < 0) {
      failingSince = now;
    }
    double seconds = (now - failingSince) / 1e9;
    if (seconds > limit.toMillis() / 1000.0) {
      throw new IOException(who + ": gave up after " + String.format("%.0f", seconds) + " s of I/O errors (the"
          + " patience is " + limit.toSeconds() + " s; --io-patience changes it); the last, while " + what + ": "
          + describe(e), e);
    }
    survived++;
    log.printf("%s: I/O error while %s (%s); trying again in %.1f s%n", who, what, describe(e), pause / 1000.0);
    log.flush();
    Thread.sleep(pause);
    pause = Math.min(LAST_PAUSE_MS, pause * 2);
  }

  /** An undeclared checked exception (see {@link #call}) as the I/O error it is. */
  public static IOException undeclared(Exception e) {
    return e instanceof IOException io ? io : new IOException(e.getClass().getSimpleName() + (e.getMessage() == null
        ? "" : ": " + e.getMessage()), e);
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** An I/O exception that must not be retried: it ends the operation at once. */
  public static class Fatal extends IOException {
    public Fatal(String message) {
      super(message);
    }
  }
}
