package io.hps.dl4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Chooses ND4J's native build before ND4J loads: on Linux x86-64 the oneDNN + AVX2 build when the CPU has
 * AVX2 and FMA (5-6x faster convolutions), else the plain build, which JavaCPP would not pick by itself
 * when both are on the classpath. {@code HPS_NATIVES=plain|onednn-avx2} overrides the choice.
 */
public final class Natives {
  static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";
  private static String chosen = "default";

  private Natives() {}

  /** Sets the JavaCPP extension property; call before the first ND4J class is touched. */
  public static synchronized String choose() {
    if (System.getProperty(EXTENSION) != null) {
      chosen = "as set by -D" + EXTENSION;
      return chosen;
    }
    String forced = System.getenv("HPS_NATIVES");
    boolean linuxX64 = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
        && System.getProperty("os.arch", "").matches("amd64|x86_64");
    if (!linuxX64) {
      chosen = "default for " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
      return chosen;
    }
    boolean fast = forced != null ? forced.equals("onednn-avx2") : cpuHasAvx2();
    System.setProperty(EXTENSION, fast ? "-onednn-avx2" : "");
    chosen = fast ? "linux-x86_64-onednn-avx2" : "linux-x86_64 (plain)";
    return chosen;
  }

  /** What {@link #choose()} decided, for result files and logs. */
  /** The DL4J release these trainers were built against, as the results' {@code frameworkVersion}. */
  public static String dl4jVersion() {
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in = Natives.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (java.io.IOException e) {
      return "unknown";
    }
    return p.getProperty("dl4j", "unknown");
  }

  public static synchronized String description() {
    return chosen;
  }

  /**
   * Sets ND4J's thread count ({@code threads} > 0) and returns the count in use. Touches ND4J, so call
   * {@link #choose()} first.
   */
  public static int threads(int threads) {
    org.nd4j.linalg.factory.Environment environment = org.nd4j.linalg.factory.Nd4j.getEnvironment(); // loads ND4J
    org.nd4j.nativeblas.NativeOps ops = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
    if (threads > 0) {
      // Environment.setMaxThreads alone changes nothing the native code reads (measured: 167% CPU with 1);
      // the OpenMP pool, which the ops and oneDNN run on, is what counts.
      ops.setOmpNumThreads(threads);
      environment.setMaxThreads(threads);
      environment.setMaxMasterThreads(threads);
    }
    return ops.ompGetMaxThreads();
  }

  /**
   * Pins the calling thread (the worker's) to GPU {@code device} when the CUDA backend is loaded; says
   * what it did. On the CPU backend a device is ignored, with a note.
   */
  public static String pinDevice(String device) {
    String backend = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
    if (device == null) {
      return "backend " + backend;
    }
    if (!backend.toLowerCase(Locale.ROOT).contains("cuda") && !backend.toLowerCase(Locale.ROOT).contains("jcublas")) {
      return "backend " + backend + " (--device " + device + " ignored: not a CUDA build)";
    }
    org.nd4j.linalg.factory.Nd4j.getAffinityManager().unsafeSetDevice(Integer.parseInt(device));
    return "backend " + backend + ", GPU " + device;
  }

  static boolean cpuHasAvx2() {
    try {
      String flags = Files.readString(Path.of("/proc/cpuinfo"));
      return flags.contains(" avx2") && flags.contains(" fma");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
