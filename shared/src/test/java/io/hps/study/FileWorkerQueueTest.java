package io.hps.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.study.WorkerQueue.Publication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWorkerQueueTest {
  @TempDir
  Path root;
  StudyDirectory study;

  @BeforeEach
  void create() throws Exception {
    study = new StudyDirectory(root).create();
  }

  static Setting setting(int i) {
    return new Setting(String.format("s%06d", i), i, 0, 0, Instant.now(), new Params(Map.of("lr", 0.01 * i)));
  }

  void writePending(Setting s) throws Exception {
    DurableFiles.writeJson(study.pending().resolve(s.id() + ".json"), s, false);
  }

  static Result resultOf(Claim claim) {
    return Result.of(claim.setting(), Status.COMPLETE, null, claim.worker(), claim.claimedAt(), Instant.now(),
        List.of(new Epoch(1, 1.0, 1.1, 0.3, 0.1)), Map.of());
  }

  @Test
  void threadsRacingClaimEverySettingExactlyOnce() throws Exception {
    int n = 1500;
    for (int i = 0; i < n; i++) {
      writePending(setting(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<List<String>>> futures = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      String worker = "w" + w;
      futures.add(pool.submit(() -> {
        WorkerQueue queue = new FileWorkerQueue(study, worker, Clock.systemUTC());
        List<String> mine = new ArrayList<>();
        for (Optional<Claim> c = queue.claimNext(); c.isPresent(); c = queue.claimNext()) {
          assertThat(queue.publish(c.get(), resultOf(c.get()))).isEqualTo(Publication.PUBLISHED);
          mine.add(c.get().setting().id());
        }
        return mine;
      }));
    }
    List<String> all = Collections.synchronizedList(new ArrayList<>());
    for (Future<List<String>> f : futures) {
      all.addAll(f.get());
    }
    pool.shutdown();
    assertThat(all).hasSize(n).doesNotHaveDuplicates();
    assertThat(StudyDirectory.list(study.results())).hasSize(n);
    assertThat(StudyDirectory.list(study.pending())).isEmpty();
    assertThat(Files.list(study.claimed()).flatMap(d -> StudyDirectory.list(d).stream())).isEmpty();
  }

  @Test
  void claimMovesTheFileIntoTheWorkersDirectory() throws Exception {
    writePending(setting(1));
    Path pendingFile = study.pending().resolve("s000001.json");
    Files.setLastModifiedTime(pendingFile, java.nio.file.attribute.FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Claim claim = new FileWorkerQueue(study, "w1", Clock.systemUTC()).claimNext().orElseThrow();
    assertThat(pendingFile).doesNotExist();
    assertThat(claim.file()).isEqualTo(study.claimed("w1").resolve("s000001.json")).exists();
    assertThat(claim.setting().id()).isEqualTo("s000001");
  }

  @Test
  void aFencedWorkerCannotPublish() throws Exception {
    writePending(setting(1));
    WorkerQueue queue = new FileWorkerQueue(study, "w1", Clock.systemUTC());
    Claim claim = queue.claimNext().orElseThrow();
    Files.move(claim.file(), study.requeue().resolve("s000001.json")); // what the master does on expiry
    assertThat(queue.heartbeat(claim)).isFalse();
    assertThat(queue.publish(claim, resultOf(claim))).isEqualTo(Publication.FENCED);
    assertThat(study.result("s000001")).doesNotExist();
  }

  @Test
  void aSecondResultForTheSameSettingIsRefused() throws Exception {
    writePending(setting(1));
    WorkerQueue first = new FileWorkerQueue(study, "w1", Clock.systemUTC());
    Claim stale = first.claimNext().orElseThrow();
    Files.move(stale.file(), study.pending().resolve("s000001.json")); // requeued to another worker
    Files.writeString(stale.file(), "re-created so the fence passes");
    WorkerQueue second = new FileWorkerQueue(study, "w2", Clock.systemUTC());
    Claim fresh = second.claimNext().orElseThrow();
    assertThat(second.publish(fresh, resultOf(fresh))).isEqualTo(Publication.PUBLISHED);
    assertThat(first.publish(stale, resultOf(stale))).isEqualTo(Publication.DUPLICATE);
    assertThat(StudyDirectory.readResult(study.result("s000001")).worker()).isEqualTo("w2");
    assertThat(StudyDirectory.list(study.results())).containsExactly("s000001.json");
  }

  @Test
  void handBackReturnsTheSettingToPending() throws Exception {
    writePending(setting(1));
    WorkerQueue queue = new FileWorkerQueue(study, "w1", Clock.systemUTC());
    Claim claim = queue.claimNext().orElseThrow();
    assertThat(queue.handBack(claim)).isTrue();
    assertThat(StudyDirectory.list(study.pending())).containsExactly("s000001.json");
    assertThat(queue.claimNext()).isPresent();
  }

  @Test
  void badSettingFilesAreQuarantinedAndGoodOnesStillClaimed() throws Exception {
    Files.writeString(study.pending().resolve("s000001.json"), "{not json");
    Files.writeString(study.pending().resolve("s000002.json"),
        new String(Files.readAllBytes(Path.of(System.getProperty("hps.root", ".."), "test-data", "protocol", "setting-v1.json")))
            .replace("\"point\"", "\"surprise\" : true, \"point\""));
    Files.write(study.pending().resolve("s000003.json"), new byte[(int) io.hps.study.Limits.SETTING + 10]);
    Path outside = Files.writeString(root.resolve("secret.txt"), "not yours");
    Files.createSymbolicLink(study.pending().resolve("s000004.json"), outside);
    Files.writeString(study.pending().resolve("a..b.json"), "{}");
    Files.writeString(study.pending().resolve("notes.txt"), "hello");
    DurableFiles.writeJson(study.pending().resolve("s000005.json"), setting(6), false); // id differs from name
    Files.createDirectory(study.pending().resolve("s000007.json"));
    writePending(setting(9));

    WorkerQueue queue = new FileWorkerQueue(study, "w1", Clock.systemUTC());
    assertThat(queue.claimNext()).map(c -> c.setting().id()).contains("s000009");
    assertThat(queue.claimNext()).isEmpty();

    List<String> quarantined = Quarantine.list(study);
    assertThat(quarantined).containsExactlyInAnyOrder("s000001.json", "s000002.json", "s000003.json",
        "s000004.json", "a__b.json", "notes.txt", "s000005.json", "s000007.json");
    assertThat(reason("s000001.json")).contains("not a valid Setting");
    assertThat(reason("s000002.json")).contains("surprise");
    assertThat(reason("s000003.json")).contains("over the limit");
    assertThat(reason("s000004.json")).contains("is a symbolic link");
    assertThat(reason("s000007.json")).contains("not a regular file");
    assertThat(reason("a__b.json")).contains("not <id>.json");
    assertThat(reason("s000005.json")).contains("holds setting id 's000006'");
    assertThat(outside).hasContent("not yours");
  }

  String reason(String name) throws Exception {
    return Files.readString(study.quarantine().resolve(name + Quarantine.REASON_SUFFIX));
  }

  @Test
  void publishOnceNeverReplaces() throws Exception {
    Path target = root.resolve("x.json");
    assertThat(DurableFiles.publishOnce(target, Map.of("a", 1))).isTrue();
    assertThat(DurableFiles.publishOnce(target, Map.of("a", 2))).isFalse();
    assertThat(target).content().contains("\"a\" : 1");
    assertThat(StudyDirectory.list(root)).containsExactlyInAnyOrder("x.json", "batches", "claimed", "logs",
        "pending", "progress", "quarantine", "requeue", "results", "stop", "workers");
  }
}
