package io.nautilus.train;

import ai.djl.Device;
import io.nautilus.dist.GroupOptions;
import io.nautilus.dist.ProcessGroup;
import java.io.Serializable;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.resource.ResourceInformation;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one barrier task: rendezvous through {@link BarrierTaskContext#allGather}, a ring
 * process group, then one {@link RankTrainer}. The rank is the partition id.
 */
final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<RankResult>>
    implements Serializable {
  private final TaskPlan plan;

  RankTask(TaskPlan plan) {
    this.plan = plan;
  }

  @Override
  public Iterator<RankResult> apply(Iterator<Integer> ignored) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    int rank = ctx.partitionId();
    String host = SparkEnv.get().blockManager().blockManagerId().host();
    ServerSocketChannel listener = ProcessGroup.listen(host, 0);
    String[] addresses = ctx.allGather(ProcessGroup.advertisedAddress(host, listener));
    GroupOptions options =
        GroupOptions.builder()
            .optSessionId(plan.session() + "-stage" + ctx.stageAttemptNumber())
            .optOpTimeout(Duration.ofSeconds(plan.options().collectiveTimeoutSeconds()))
            .build();
    // libtorch's intra-op pool is per process and defaults to every core; ranks sharing an
    // executor JVM would oversubscribe it. Use the CPUs Spark reserved for this task.
    int cpus = Integer.parseInt(SparkEnv.get().conf().get("spark.task.cpus", "1"));
    ai.djl.engine.Engine.getEngine("PyTorch");
    ai.djl.pytorch.jni.JniUtils.setNumThreads(Math.max(1, cpus));
    try (ProcessGroup group =
        ProcessGroup.connect(rank, Arrays.asList(addresses), listener, options)) {
      RankResult result = new RankTrainer(plan, group, device(ctx, plan.options())).run();
      return JavaConverters.asScalaIterator(List.of(result).iterator());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The GPU Spark assigned this task, else the CPU. */
  static Device device(BarrierTaskContext ctx, TrainOptions o) {
    Map<String, ResourceInformation> resources = JavaConverters.mapAsJavaMap(ctx.resources());
    ResourceInformation gpu = resources.get("gpu");
    boolean hasGpu = gpu != null && gpu.addresses().length > 0;
    if ("cpu".equals(o.accelerator()) || (!hasGpu && "auto".equals(o.accelerator()))) {
      return Device.cpu();
    }
    if (!hasGpu) {
      throw new IllegalStateException(
          "Cannot train on a GPU (trainer.accelerator=gpu): Spark assigned this task none; set"
              + " spark.executor.resource.gpu.amount, spark.task.resource.gpu.amount and a GPU"
              + " discovery script");
    }
    return Device.gpu(Integer.parseInt(gpu.addresses()[0].trim()));
  }
}
