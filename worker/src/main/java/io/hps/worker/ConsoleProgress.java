package io.hps.worker;

import io.hps.protocol.Epoch;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** One progress bar per setting on standard error: epochs done, last losses and error, ETA. */
final class ConsoleProgress implements Progress {
  private ProgressBar bar;

  @Override
  public void start(String id, int epochs) {
    end();
    bar = new ProgressBarBuilder().setTaskName(id).setInitialMax(Math.max(1, epochs)).setUnit(" epochs", 1)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
  }

  @Override
  public void epoch(Epoch epoch) {
    if (bar != null) {
      bar.stepTo(epoch.epoch());
      bar.setExtraMessage(String.format("loss %.3f val %.3f err %.4f", epoch.trainLoss(), epoch.valLoss(),
          epoch.valError()));
    }
  }

  @Override
  public void end() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
