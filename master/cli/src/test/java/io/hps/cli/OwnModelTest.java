package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.study.StudyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/own-model, a user's own DL4J network in its own Maven project (built by the reactor before this
 * module), tuned through {@code --classpath}; and the errors around plug-ins.
 */
@Tag("process")
class OwnModelTest {
  static final Path ROOT = Path.of(System.getProperty("hps.root", "../..")).toAbsolutePath().normalize();
  /** The example's classes as the reactor built them (its jar holds the same, after the package phase). */
  static final Path BUILT = ROOT.resolve("examples/own-model/target/classes");

  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();

  @AfterEach
  void killLeftovers() {
    HpsProcess.killAll();
  }

  @Test
  void aUsersOwnDl4jNetworkIsTunedThroughClasspath() throws Exception {
    assertThat(BUILT.resolve("META-INF/services/io.hps.trainer.Trainer")).exists();
    Path study = root.resolve("own");
    int code = cli.run("run", "--space", ROOT.resolve("examples/own-model/space.json").toString(), "--study",
        study.toString(), "--trials", "2", "--classpath", BUILT.toString(), "--data-dir",
        ROOT.resolve("test-data/mnist-tiny").toString(), "--set", "trainSize=1000", "--set", "valSize=200", "--set",
        "epochs=3");
    assertThat(code).as(cli.out + "\n" + cli.err).isZero();
    List<Result> results = new StudyDirectory(study).readResults((n, why) -> { });
    assertThat(results).hasSize(2).allSatisfy(r -> {
      assertThat(r.status()).as(r.reason()).isEqualTo(Status.COMPLETE);
      assertThat(r.epochs()).hasSize(3);
      assertThat(r.epochs().get(2).trainLoss()).isLessThan(r.epochs().get(0).trainLoss());
      assertThat(r.objective().orElseThrow()).isLessThan(0.5); // chance is 0.9
      assertThat(r.info()).containsKey("numFreeParameters");
    });
    String log = Files.readString(study.resolve("logs/run-worker-1.log"));
    assertThat(log).contains("own-mlp (" + BUILT + ")").contains("cnn (");
  }

  @Test
  void theParametersItDeclaresRefuseATypoAndAValueItCannotTakeBeforeAnythingRuns() throws Exception {
    Path study = root.resolve("typo");
    int code = cli.run("run", "--space", ROOT.resolve("examples/own-model/space.json").toString(), "--study",
        study.toString(), "--trials", "1", "--classpath", BUILT.toString(), "--set", "learningRate=0.01", "--set",
        "dropout=1");
    assertThat(code).isEqualTo(1);
    assertThat(cli.err.toString()).contains("parameter 'learningRate' is not read by the trainer 'own-mlp', which"
        + " reads layers, hidden, lr, dropout").contains("parameter 'dropout' must be >= 0 and < 1, not 1");
    assertThat(study).doesNotExist();
  }

  @Test
  void withoutTheJarTheModelIsUnknownAndTheErrorSaysWhatWasFound() throws Exception {
    Path study = root.resolve("missing");
    int code = cli.run("run", "--space", ROOT.resolve("examples/own-model/space.json").toString(), "--study",
        study.toString(), "--trials", "1");
    assertThat(code).isEqualTo(1);
    assertThat(cli.err.toString()).contains("model 'own-mlp' is not a trainer here").contains("cnn (")
        .contains("synthetic (").contains("--classpath");
    assertThat(study.resolve("study.json")).as("a refused run leaves no study behind to resume").doesNotExist();
  }

  @Test
  void twoJarsDeclaringOneModelAreAClearErrorAndAMissingJarIsNamed() throws Exception {
    Path other = root.resolve("other");
    Path source = Files.createDirectories(other.resolve("src/org/other")).resolve("Impostor.java");
    Files.writeString(source, "package org.other;\n"
        + "public final class Impostor implements io.hps.trainer.Trainer {\n"
        + "  public String model() { return \"own-mlp\"; }\n"
        + "  public io.hps.trainer.Outcome train(io.hps.trainer.Trial t, io.hps.trainer.EpochSink s) { return null; }\n"
        + "}\n");
    Path classes = Files.createDirectories(other.resolve("classes"));
    int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), source.toString());
    assertThat(compiled).isZero();
    Files.createDirectories(classes.resolve("META-INF/services"));
    Files.writeString(classes.resolve("META-INF/services/io.hps.trainer.Trainer"), "org.other.Impostor\n");
    Path study = root.resolve("twice");
    int code = cli.run("worker", "--study", study.toString(), "--classpath", BUILT + ":" + classes, "--idle-exit", "1");
    assertThat(code).isEqualTo(1);
    assertThat(cli.err.toString()).contains("model 'own-mlp' is declared twice").contains("org.other.Impostor")
        .contains(classes.toString()).contains("org.example.mlp.MlpTrainer");
    cli.err.getBuffer().setLength(0);
    assertThat(cli.run("worker", "--study", study.toString(), "--classpath", root.resolve("nope.jar").toString()))
        .isEqualTo(1);
    assertThat(cli.err.toString()).contains("nope.jar").contains("no such jar or directory");
  }

  @Test
  void theMasterAndStatusRunWithoutNd4jWhileWorkersTrainTheCnnThroughThePlugIn() throws Exception {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      assertThat(entry).doesNotContain("nd4j").doesNotContain("deeplearning4j").doesNotContain("javacpp");
    }
    Path study = root.resolve("cnn");
    assertThat(cli.run("run", "--space", ROOT.resolve("search-spaces/mnist-cnn.json").toString(), "--study",
        study.toString(), "--trials", "1", "--set", "epochs=1", "--set", "trainSize=300", "--set", "valSize=100",
        "--data-dir", ROOT.resolve("test-data/mnist-tiny").toString())).as(cli.err.toString()).isZero();
    assertThat(cli.run("status", "--study", study.toString())).isZero();
    assertThat(cli.out.toString()).containsPattern("complete\\s+1");
    assertThat(Files.readString(study.resolve("logs/run-worker-1.log"))).contains("ND4J:");
    // The master and status ran in this JVM; ND4J was only ever loaded by the worker process.
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Class.forName("org.nd4j.linalg.factory.Nd4j")))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
