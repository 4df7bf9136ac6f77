package dev.datahub.smoke;

import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.smoke.KernelSession.Execution;
import dev.datahub.smoke.KernelSession.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * The {@code <smokeTest>} checks — imports, snippets, notebooks cell by cell — run in one kernel,
 * whoever started it: a hub's user server ({@link HubSmokeRun}) or the image's own Jupyter server
 * ({@link ImageSmokeRun}). A check that times out or kills the kernel marks the rest as not run.
 */
final class KernelChecks {

  /** Runs code in the kernel within the caller's limits. */
  interface Executor {
    Execution execute(String code) throws InterruptedException;
  }

  /** What a report shows of a check's output; {@code <expect>} always sees all of it. */
  static final int SHOWN_OUTPUT = 8 * 1024;

  private final SmokeSpec spec;
  private final Redactor redactor;
  private final StepLog log;

  KernelChecks(SmokeSpec spec, Redactor redactor, StepLog log) {
    this.spec = spec;
    this.redactor = redactor;
    this.log = log;
  }

  /**
   * Runs every snippet check and notebook, adding one result each to {@code results}.
   *
   * @param broken why the kernel cannot be used already (every check is then skipped), or null
   */
  void run(Executor kernel, Deadline total, String broken, List<CheckResult> results) throws InterruptedException {
    for (SmokeCheck check : spec.snippetChecks()) {
      if (broken != null) {
        results.add(skipped(check.name(), broken));
        continue;
      }
      total.check("running check '" + check.name() + "'");
      long t = System.nanoTime();
      Execution e = kernel.execute(check.code());
      CheckResult r = judge(check, e, millisSince(t));
      report(r);
      results.add(r);
      if (e.outcome() == Outcome.TIMEOUT || e.outcome() == Outcome.DIED) {
        broken = "not run: the kernel was unusable after '" + check.name() + "'";
      }
      total.check("running check '" + check.name() + "'");
    }
    for (Notebook notebook : spec.notebooks()) {
      String name = "notebook " + notebook.name();
      if (broken != null) {
        results.add(skipped(name, broken));
        continue;
      }
      total.check("running " + name);
      long t = System.nanoTime();
      CheckResult r = null;
      StringBuilder output = new StringBuilder();
      int cell = 0;
      long kernelMillis = 0;
      for (String code : notebook.codeCells()) {
        cell++;
        Execution e = kernel.execute(code);
        kernelMillis += Math.max(0, e.kernelMillis());
        output.append(e.output());
        if (e.outcome() != Outcome.OK) {
          r = new CheckResult(name, CheckResult.FAILED, millisSince(t), "cell " + cell + ": " + e.error(),
              shown(output.toString()), kernelMillis);
          if (e.outcome() != Outcome.ERROR) {
            broken = "not run: the kernel was unusable after " + name;
          }
          break;
        }
      }
      if (r == null) {
        r = new CheckResult(name, CheckResult.PASSED, millisSince(t), null, shown(output.toString()), kernelMillis);
      }
      report(r);
      results.add(r);
    }
  }

  /** Runs code bounded by executionTimeout and by what is left of totalTimeout, reporting which one ran out. */
  static Execution execute(KernelSession kernel, SmokeSpec spec, String code, Deadline total) throws InterruptedException {
    boolean boundByTotal = total.remaining().compareTo(spec.executionTimeout()) < 0;
    Duration limit = boundByTotal ? total.remaining() : spec.executionTimeout();
    Execution e = kernel.execute(code, limit);
    if (e.outcome() == Outcome.TIMEOUT && boundByTotal) {
      return new Execution(Outcome.TIMEOUT, e.output(), null,
          "totalTimeout of " + Deadline.seconds(total.budget()) + " exceeded while running this code", -1);
    }
    return e;
  }

  /** The checks of {@code spec} that have no result (the run stopped before them), as skipped. */
  static List<CheckResult> notRun(SmokeSpec spec, List<CheckResult> results, String why) {
    List<String> planned = new ArrayList<>();
    if (spec.expectedImage() != null) {
      planned.add("image");
    }
    spec.snippetChecks().forEach(c -> planned.add(c.name()));
    spec.notebooks().forEach(n -> planned.add("notebook " + n.name()));
    List<CheckResult> missing = new ArrayList<>();
    for (String name : planned) {
      if (results.stream().noneMatch(c -> c.name().equals(name))) {
        missing.add(skipped(name, why));
      }
    }
    return missing;
  }

  /** The run's failure in one line: its own, else the first failed check's; null when everything passed. */
  static String failure(String runFailure, List<CheckResult> results) {
    if (runFailure != null) {
      return runFailure;
    }
    List<CheckResult> failed = results.stream().filter(CheckResult::failed).toList();
    if (failed.isEmpty()) {
      return null;
    }
    CheckResult first = failed.get(0);
    return "check '" + first.name() + "' failed: " + first.error()
        + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more failed)" : "");
  }

  /** Matches {@code <expect>} on the whole output; only what the result shows is shortened, after redaction. */
  CheckResult judge(SmokeCheck check, Execution e, long millis) {
    String output = shown(e.output());
    if (e.outcome() != Outcome.OK) {
      return new CheckResult(check.name(), CheckResult.FAILED, millis, e.error(), output, e.kernelMillis());
    }
    if (check.expect() != null) {
      Matcher m = check.expect().matcher(e.output());
      if (!m.find()) {
        String got = redactor.redact(e.output()).strip().replaceAll("\\s+", " ");
        got = got.length() > 120 ? got.substring(0, 117) + "..." : got;
        return new CheckResult(check.name(), CheckResult.FAILED, millis,
            "output does not match /" + check.expect().pattern() + "/: got '" + got + "'", output, e.kernelMillis());
      }
    }
    return new CheckResult(check.name(), CheckResult.PASSED, millis, null, output, e.kernelMillis());
  }

  static CheckResult skipped(String name, String why) {
    return new CheckResult(name, CheckResult.SKIPPED, 0, why, null);
  }

  void report(CheckResult r) {
    String line = String.format(Locale.ROOT, "  %-4s %s (%d ms)%s", r.passed() ? "PASS" : r.failed() ? "FAIL" : "SKIP",
        r.name(), r.millis(), r.error() == null ? "" : " — " + r.error());
    log.debug(line); // the summary at the end lists every check at info level
  }

  /** Redacted first, then shortened: a cut can never leave part of a secret behind. */
  String shown(String output) {
    if (output == null || output.isEmpty()) {
      return null;
    }
    String redacted = redactor.redact(output);
    return redacted.length() <= SHOWN_OUTPUT ? redacted
        : redacted.substring(0, SHOWN_OUTPUT) + "\n… (output cut at 8 KB; <expect> saw all of it)";
  }

  static long millisSince(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }
}
