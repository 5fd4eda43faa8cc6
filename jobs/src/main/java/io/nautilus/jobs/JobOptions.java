package io.nautilus.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every config-driven job takes: a YAML file, flags, and key=value overrides. */
final class JobOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML config (see conf/); without it, the job's defaults + overrides")
  Path config;

  @Option(names = "--overwrite", description = "replace an existing output (output.overwrite=true)")
  boolean overwrite;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (spark.master=URL)")
  String master;

  @Option(names = "--print-config", description = "print the resolved config and exit")
  boolean printConfig;

  @Parameters(
      paramLabel = "KEY=VALUE",
      description = "overrides: key.sub=value sets a key, +key=value adds one (lists: k=[a,b])")
  List<String> overrides = new ArrayList<>();

  /** The overrides, with the flags turned into the config keys they stand for. */
  List<String> withFlags() {
    List<String> all = new ArrayList<>(overrides);
    if (overwrite) {
      all.add("output.overwrite=true");
    }
    if (master != null) {
      all.add("spark.master=" + master);
    }
    return all;
  }
}
