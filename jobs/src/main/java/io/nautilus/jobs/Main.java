package io.nautilus.jobs;

import io.nautilus.config.ConfigException;
import io.nautilus.io.LocationException;
import io.nautilus.run.JobFailedException;
import io.nautilus.run.UsageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the launcher ({@code ./nautilus}) and of the cluster jar under spark-submit.
 *
 * <p>Exit codes: 0 success, 2 bad usage or config (one line, no stack trace), 1 the job failed.
 */
@Command(
    name = "nautilus",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "NeMo-style speech and language data preparation and training as Spark jobs.",
      "Run on embedded Spark (local[*]) with ./nautilus, or on a cluster with spark-submit.",
      ""
    },
    subcommands = {
      PrepareCommand.class,
      ShardCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      TranscribeCommand.class,
      VerifyCommand.class,
      QuickstartCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 2 bad usage or config, 1 job failure.",
      "Each job takes --config FILE and key=value overrides; see 'nautilus <job> --help'."
    })
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing job: name one, e.g. 'prepare'");
  }

  public static void main(String[] args) {
    int code = run(args);
    // Spark leaves non-daemon threads behind (barrier timers, ...); end the JVM explicitly.
    System.exit(code);
  }

  /** Runs the CLI and returns the exit code, for tests and embedding. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::handle);
    // The config key table is wide; wrapped at 80 columns it is unreadable.
    cli.setUsageHelpWidth(200);
    cli.getSubcommands()
        .get("prepare")
        .getCommandSpec()
        .usageMessage()
        .footer(PrepareCommand.footer());
    cli.getSubcommands().get("train").getCommandSpec().usageMessage().footer(TrainCommand.footer());
    cli.getSubcommands()
        .get("evaluate")
        .getCommandSpec()
        .usageMessage()
        .footer(EvaluateCommand.footer());
    return cli.execute(args);
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof ConfigException
        || e instanceof UsageException
        || e instanceof LocationException) {
      err.println("nautilus " + cmd.getCommandName() + ": " + e.getMessage());
      err.flush();
      return USAGE;
    }
    if (e instanceof JobFailedException) {
      err.println("nautilus " + cmd.getCommandName() + " failed: " + e.getMessage());
      err.flush();
      return FAILED;
    }
    err.println("nautilus " + cmd.getCommandName() + " failed with an unexpected error (a bug):");
    e.printStackTrace(err);
    err.flush();
    return FAILED;
  }

  /** Version from the jar manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"nautilus " + (v == null ? "(development build)" : v)};
    }
  }
}
