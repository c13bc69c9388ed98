package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampedLogTest {
  @Test
  void everyLineStartsWithTheTimeAndPiecesOfALineAreStampedOnce() {
    StringWriter text = new StringWriter();
    PrintWriter log = TimestampedLog.of(new PrintWriter(text),
        Clock.fixed(Instant.parse("2026-12-02T15:40:01.734Z"), ZoneOffset.UTC));
    log.printf("master: batch 1%nmaster: batch 2%n");
    log.print("worker w: ");
    log.print("claimed s000001");
    log.println();
    log.write('x');
    log.println();
    assertThat(text.toString()).isEqualTo("2026-12-02T15:40:01Z master: batch 1\n2026-12-02T15:40:01Z master: batch 2\n"
        + "2026-12-02T15:40:01Z worker w: claimed s000001\n2026-12-02T15:40:01Z x\n");
  }
}
