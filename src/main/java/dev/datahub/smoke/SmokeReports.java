package dev.datahub.smoke;

import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.output.ResultFiles;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes what a smoke test found for people and for CI: a console summary, {@code result.json}
 * (read by the promote gate), JUnit XML (CI shows each check as a test) and a Markdown summary
 * (also appended to {@code $GITHUB_STEP_SUMMARY}). Every text passes through the redactor first.
 */
public final class SmokeReports {


  public static final String JUNIT_FILE = "TEST-datahub-smoke-test.xml";
  public static final String MARKDOWN_FILE = "summary.md";

  private final Redactor redactor;

  public SmokeReports(Redactor redactor) {
    this.redactor = redactor;
  }

  /** One line per check with its time and error, then the verdict. */
  public void printSummary(SmokeResult r, StepLog log) {
    StepLog out = redactor.wrap(log);
    out.info("Smoke test of " + r.environment() + " (" + r.hubUrl() + "): " + r.status().toUpperCase(Locale.ROOT)
        + " in " + seconds(r.durationMillis()) + (r.spawnMillis() > 0 ? ", server start " + seconds(r.spawnMillis()) : "")
        + ", " + counts(r));
    for (CheckResult c : r.checks()) {
      String line = String.format(Locale.ROOT, "  %-4s %s (%d ms)%s", label(c), c.name(), c.millis(),
          c.error() == null ? "" : " — " + c.error());
      if (c.failed()) {
        out.warn(line);
      } else {
        out.info(line);
      }
    }
    if (r.expectedImage() != null || r.observedImage() != null) {
      out.info("  image: expected " + orNone(r.expectedImage()) + ", server runs " + orNone(r.observedImage()));
    }
    if (r.failure() != null) {
      out.warn("Smoke test failed: " + r.failure());
    }
  }

  /** Removes the reports of an earlier run from {@code dir}: a stale passed result must never reach the promote gate. */
  public static void removeFrom(Path dir) {
    ResultFiles.delete(dir.resolve(SmokeResult.FILE_NAME));
    ResultFiles.delete(dir.resolve(JUNIT_FILE));
    ResultFiles.delete(dir.resolve(MARKDOWN_FILE));
  }

  /**
   * Renders a made-up result's JSON, JUnit XML and Markdown once and throws them away, so that Jackson introspects the
   * result records and the JDK loads its XML writer before the real reports are due. {@link HubSmokeRun} runs it on
   * a spare thread while the hub spawns the server; without it the goal spent 0.1–0.4 s on this after cleanup
   * (BENCHMARKS.md, "Smoke test against a requests + websocket client"). Writes nothing, touches no secret.
   */
  public static void warmUp() {
    SmokeResult sample = new SmokeResult("staging", "http://127.0.0.1/", "0", "user", SmokeResult.PASSED, null, null,
        "1970-01-01T00:00:00Z", 0, 0, 0, List.of(new CheckResult("check", CheckResult.PASSED, 0, null, "out", 0)), null,
        "done");
    SmokeReports reports = new SmokeReports(new Redactor());
    sample.toJson();
    reports.junit(sample);
    reports.markdown(sample);
  }

  /**
   * Prints the summary, then writes the reports into {@code dir}; appends the Markdown to {@code githubStepSummary}
   * (the value of {@code GITHUB_STEP_SUMMARY}) when it is set.
   */
  public void publish(SmokeResult r, StepLog log, Path dir, String githubStepSummary) {
    printSummary(r, log);
    write(r, dir, githubStepSummary == null || githubStepSummary.isBlank() ? null : Path.of(githubStepSummary));
  }

  /**
   * Writes {@code result.json}, the JUnit XML and {@code summary.md} into {@code dir}; appends the
   * Markdown to {@code githubStepSummary} when it is not null.
   */
  public void write(SmokeResult r, Path dir, Path githubStepSummary) {
    String markdown = markdown(r);
    ResultFiles.writeText(dir.resolve(SmokeResult.FILE_NAME), redactor.redact(r.toJson()) + "\n");
    ResultFiles.writeText(dir.resolve(JUNIT_FILE), junit(r));
    ResultFiles.writeText(dir.resolve(MARKDOWN_FILE), markdown);
    if (githubStepSummary != null) {
      ResultFiles.appendSummary(githubStepSummary, markdown); // one whole report at a time under mvn -T
    }
  }

  String markdown(SmokeResult r) {
    StringBuilder md = new StringBuilder();
    md.append("### DataHub smoke test: ").append(r.environment()).append(" — ")
        .append(r.passed() ? "passed ✅" : "failed ❌").append("\n\n");
    md.append("Hub ").append(r.hubUrl());
    if (r.hubVersion() != null) {
      md.append(" (JupyterHub ").append(r.hubVersion()).append(")");
    }
    md.append(", user `").append(r.user()).append("`, ").append(seconds(r.durationMillis()));
    if (r.spawnMillis() > 0) {
      md.append(" (server start ").append(seconds(r.spawnMillis())).append(")");
    }
    md.append(", ").append(counts(r)).append(".\n\n");
    if (r.expectedImage() != null || r.observedImage() != null) {
      md.append("Image: expected `").append(orNone(r.expectedImage())).append("`, server runs `")
          .append(orNone(r.observedImage())).append("`\n\n");
    }
    if (!r.checks().isEmpty()) {
      md.append("| check | result | time | error |\n|---|---|---|---|\n");
      for (CheckResult c : r.checks()) {
        md.append("| ").append(cell(c.name())).append(" | ")
            .append(c.passed() ? "✅ passed" : c.failed() ? "❌ failed" : "⏭ skipped").append(" | ")
            .append(c.millis()).append(" ms | ").append(c.error() == null ? "" : cell(c.error())).append(" |\n");
      }
      md.append('\n');
    }
    if (r.failure() != null) {
      md.append("**Failure:** ").append(r.failure()).append("\n\n");
    }
    md.append("Cleanup: ").append(r.cleanup()).append('\n');
    return redactor.redact(md.toString());
  }

  String junit(SmokeResult r) {
    List<CheckResult> checks = r.checks();
    boolean setupFailed = r.failure() != null && checks.stream().noneMatch(CheckResult::failed);
    long failures = checks.stream().filter(CheckResult::failed).count() + (setupFailed ? 1 : 0);
    long skipped = checks.stream().filter(c -> CheckResult.SKIPPED.equals(c.status())).count();
    String suite = "datahub.smoke-test." + r.environment();
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", suite);
      x.writeAttribute("tests", String.valueOf(checks.size() + (setupFailed ? 1 : 0)));
      x.writeAttribute("failures", String.valueOf(failures));
      x.writeAttribute("errors", "0");
      x.writeAttribute("skipped", String.valueOf(skipped));
      x.writeAttribute("time", secondsAttr(r.durationMillis()));
      x.writeAttribute("timestamp", String.valueOf(r.startedAt()));
      x.writeCharacters("\n  ");
      x.writeStartElement("properties");
      property(x, "hubUrl", r.hubUrl());
      property(x, "hubVersion", r.hubVersion());
      property(x, "user", r.user());
      property(x, "expectedImage", r.expectedImage());
      property(x, "observedImage", r.observedImage());
      property(x, "cleanup", r.cleanup());
      x.writeEndElement();
      if (setupFailed) {
        testcase(x, suite, new CheckResult("hub and server", CheckResult.FAILED, r.durationMillis(), r.failure(), null));
      }
      for (CheckResult c : checks) {
        testcase(x, suite, c);
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  private void testcase(XMLStreamWriter x, String suite, CheckResult c) throws XMLStreamException {
    x.writeCharacters("\n  ");
    x.writeStartElement("testcase");
    x.writeAttribute("classname", suite);
    x.writeAttribute("name", xml(c.name()));
    x.writeAttribute("time", secondsAttr(c.millis()));
    if (c.failed()) {
      x.writeStartElement("failure");
      x.writeAttribute("message", xml(c.error()));
      x.writeAttribute("type", "smoke-test");
      x.writeCharacters(xml(c.error() + (c.output() == null ? "" : "\n\n" + c.output())));
      x.writeEndElement();
    } else if (CheckResult.SKIPPED.equals(c.status())) {
      x.writeStartElement("skipped");
      x.writeAttribute("message", xml(c.error()));
      x.writeEndElement();
    } else if (c.output() != null) {
      x.writeStartElement("system-out");
      x.writeCharacters(xml(c.output()));
      x.writeEndElement();
    }
    x.writeEndElement();
  }

  private void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
    if (value == null) {
      return;
    }
    x.writeCharacters("\n    ");
    x.writeEmptyElement("property");
    x.writeAttribute("name", name);
    x.writeAttribute("value", xml(value));
  }

  /** Redacted, without characters XML 1.0 cannot hold (kernels print ANSI colour codes). */
  private String xml(String s) {
    return s == null ? "" : redactor.redact(s).replaceAll("[^\\x09\\x0A\\x0D\\x20-\\uD7FF\\uE000-\\uFFFD]", "");
  }

  private static String counts(SmokeResult r) {
    long passed = r.checks().stream().filter(CheckResult::passed).count();
    long failed = r.checks().stream().filter(CheckResult::failed).count();
    long skipped = r.checks().size() - passed - failed;
    return r.checks().size() + " checks: " + passed + " passed, " + failed + " failed, " + skipped + " skipped";
  }

  private static String label(CheckResult c) {
    return c.passed() ? "PASS" : c.failed() ? "FAIL" : "SKIP";
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replaceAll("\\s+", " ");
  }

  private static String orNone(String s) {
    return s == null ? "(none)" : s;
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String secondsAttr(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }
}
