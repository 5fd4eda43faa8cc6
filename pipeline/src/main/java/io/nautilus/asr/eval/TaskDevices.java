package io.nautilus.asr.eval;

import ai.djl.Device;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import scala.collection.JavaConverters;

/** The device a Spark task runs its model on. */
final class TaskDevices {
  private TaskDevices() {}

  /** The GPU Spark assigned the running task (auto, gpu), else the CPU. */
  static Device of(String accelerator) {
    TaskContext ctx = TaskContext.get();
    ResourceInformation gpu = null;
    if (ctx != null) {
      Map<String, ResourceInformation> resources = JavaConverters.mapAsJavaMap(ctx.resources());
      gpu = resources.get("gpu");
    }
    boolean hasGpu = gpu != null && gpu.addresses().length > 0;
    if ("cpu".equals(accelerator) || (!hasGpu && "auto".equals(accelerator))) {
      return Device.cpu();
    }
    if (!hasGpu) {
      throw new IllegalStateException(
          "Cannot evaluate on a GPU (accelerator=gpu): Spark assigned this task none; set"
              + " spark.executor.resource.gpu.amount, spark.task.resource.gpu.amount and a GPU"
              + " discovery script");
    }
    return Device.gpu(Integer.parseInt(gpu.addresses()[0].trim()));
  }
}
