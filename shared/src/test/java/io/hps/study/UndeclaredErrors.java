package io.hps.study;

/**
 * What the JDK's native file code does on a failed close(2): it throws its own checked
 * {@code sun.nio.fs.UnixException}, which no Java signature declares. For tests of the code that must
 * survive it (the shared module's test jar carries this to the worker's tests).
 */
public final class UndeclaredErrors {
  private UndeclaredErrors() {}

  /** Stands in for {@code sun.nio.fs.UnixException}. */
  public static final class UnixException extends Exception {
    public UnixException(String message) {
      super(message);
    }
  }

  /** Throws a {@link UnixException} past the compiler's checks, as native code can. */
  public static void throwUnixException(String message) {
    UndeclaredErrors.<RuntimeException>sneaky(new UnixException(message));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> void sneaky(Exception e) throws E {
    throw (E) e;
  }
}
