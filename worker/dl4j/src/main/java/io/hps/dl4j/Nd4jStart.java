package io.hps.dl4j;

import io.hps.trainer.Trial;

/**
 * Starts ND4J once per worker JVM, at the first DL4J trial: picks the native build, makes ND4J load its
 * classes from this plug-in's class loader, sets the thread count and the GPU, and logs what it did.
 */
final class Nd4jStart {
  private static boolean started;

  private Nd4jStart() {}

  static synchronized void once(Trial trial) {
    if (started) {
      return;
    }
    String natives = Natives.choose();
    org.nd4j.common.config.ND4JClassLoading.setNd4jClassloaderFromClass(Nd4jStart.class);
    int threads = Natives.threads(trial.threads());
    trial.log("ND4J: " + natives + " natives, " + threads + " threads, " + Natives.pinDevice(trial.device().orElse(null)));
    started = true;
  }
}
