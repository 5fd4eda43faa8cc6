package io.nautilus.jobs;

import io.nautilus.io.Storage;
import io.nautilus.shard.job.ShardVerifier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nautilus verify}: check a shard set against its manifests and index. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a shard set written by 'shard': committed state, counts, member names, md5 and sizes,",
      "durations and sample rate. Hostile tar members are reported, never extracted.",
      "Exits 0 when the set is sound, 1 with the list of problems otherwise."
    })
final class VerifyCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "the shard set (local path, hdfs://, s3a://)")
  String dir;

  @Override
  public Integer call() {
    ShardVerifier.Report r = new ShardVerifier(Storage.local()).verify(dir);
    if (r.ok()) {
      System.out.printf(
          "verify: %s is sound: %d shard(s), %d samples%n", dir, r.shards(), r.samples());
      return Main.OK;
    }
    System.out.printf("verify: %s has %d problem(s):%n", dir, r.problems().size());
    r.problems().forEach(p -> System.out.println("  - " + p));
    return Main.FAILED;
  }
}
