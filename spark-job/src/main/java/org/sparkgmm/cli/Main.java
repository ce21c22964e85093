package org.sparkgmm.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.component.DegenerateComponentException;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.errors.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gmm} command line. Exit status: 0 success, 2 usage error, 3 bad input data, 1 anything
 * else, always with one line on stderr saying what and the cure (the stack trace with --verbose).
 */
@Command(name = "gmm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Gaussian mixture models on Apache Spark.",
    subcommands = {FitCommand.class, PredictCommand.class, ScoreCommand.class, SampleCommand.class,
        SelectCommand.class, UpdateCommand.class, StreamCommand.class})
public final class Main implements Runnable {
  /** Exit status for success. */
  public static final int OK = 0;
  /** Exit status for anything not otherwise classified. */
  public static final int FAILURE = 1;
  /** Exit status for a bad command line or configuration. */
  public static final int USAGE = 2;
  /** Exit status for input data that cannot be fitted as given. */
  public static final int BAD_INPUT = 3;

  @Override
  public void run() {
    throw new UsageException("Missing command: use gmm fit, predict, score, sample or select (see gmm --help)");
  }

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
    System.exit(status);
  }

  /** Runs a command in this JVM (tests call this) and returns its exit status; never exits. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("gmm: " + e.getMessage() + " (see gmm " + subcommandName(e) + "--help)");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      int status = e instanceof UsageException ? USAGE
          : e instanceof BadInputException || e instanceof DegenerateComponentException ? BAD_INPUT : FAILURE;
      err.println("gmm: " + oneLine(e));
      if (cmd.getCommand() instanceof Verbosity v && v.verbose()) {
        e.printStackTrace(err);
      }
      return status;
    });
    return cl.execute(args);
  }

  private static String subcommandName(CommandLine.ParameterException e) {
    String name = e.getCommandLine().getCommandName();
    return "gmm".equals(name) ? "" : name + " ";
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    } else if (!(e instanceof IllegalArgumentException) && !(e instanceof IllegalStateException)) {
      m = e.getClass().getSimpleName() + ": " + m;
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** The version from the jar manifest, when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"spark-gmm " + (v == null ? "(development build)" : v)};
    }
  }
}
