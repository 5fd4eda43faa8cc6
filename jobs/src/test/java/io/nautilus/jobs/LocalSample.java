package io.nautilus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The shipped dev sample prepared once per test JVM by an in-process local run, shared by the
 * integration tests: a prepare run costs seconds of the CI budget.
 */
final class LocalSample {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path PREPARE_CONF = REPO.resolve("conf/prepare/asr.yaml");
  static final Path SHARD_CONF = REPO.resolve("conf/shard/asr.yaml");
  static final Path DEV_MANIFEST = REPO.resolve("data/sample/asr/dev_manifest.json");
  static final int DEV_LINES = 10;

  private static Path prepared;

  private LocalSample() {}

  /** {@code prepare} of the dev manifest on local[2], run on first use. */
  static synchronized Path preparedDev() throws IOException {
    if (prepared == null) {
      Path out = Path.of("target/it/local-sample/prepared").toAbsolutePath();
      OutputFiles.deleteRecursively(out.getParent());
      int code =
          Main.run(
              "prepare",
              "-c",
              PREPARE_CONF.toString(),
              "--master",
              "local[2]",
              "input.manifests=[" + DEV_MANIFEST + "]",
              "output.dir=" + out);
      assertThat(code).as("exit code of the local prepare run").isZero();
      prepared = out;
    }
    return prepared;
  }
}
