package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.log.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SmokeReportsTest {

  @TempDir
  Path dir;

  static SmokeResult failed() {
    return new SmokeResult("staging", "https://hub.example.org/", "3.0.0", "datahub-smoke-test", "failed",
        "r@sha256:" + "a".repeat(64), null, "2026-11-22T10:00:00Z", 12_345, 4_000, 600,
        List.of(
            new CheckResult("import json", "passed", 12, null, null),
            new CheckResult("import nope", "failed", 30, "ModuleNotFoundError: No module named 'nope'", "\u001b[31mTraceback\u001b[0m | x"),
            new CheckResult("later", "skipped", 0, "not run: the kernel was unusable after 'x'", null)),
        "check 'import nope' failed: ModuleNotFoundError: No module named 'nope'", "done");
  }

  @Test
  void writesResultJunitAndMarkdownAndAppendsToTheStepSummary() throws Exception {
    Path summary = dir.resolve("step-summary.md");
    Files.writeString(summary, "earlier step\n");
    new SmokeReports(new Redactor()).write(failed(), dir.resolve("out"), summary);

    SmokeResult read = SmokeResult.readFrom(dir.resolve("out"));
    assertEquals(failed(), read);

    Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(dir.resolve("out/TEST-datahub-smoke-test.xml").toFile());
    Element suite = junit.getDocumentElement();
    assertEquals("datahub.smoke-test.staging", suite.getAttribute("name"));
    assertEquals("3", suite.getAttribute("tests"));
    assertEquals("1", suite.getAttribute("failures"));
    assertEquals("1", suite.getAttribute("skipped"));
    Element failure = (Element) junit.getElementsByTagName("failure").item(0);
    assertEquals("ModuleNotFoundError: No module named 'nope'", failure.getAttribute("message"));
    assertFalse(failure.getTextContent().contains("\u001b"), "control characters are dropped");

    String md = Files.readString(dir.resolve("out/summary.md"));
    assertTrue(md.startsWith("### DataHub smoke test: staging — failed ❌"), md);
    assertTrue(md.contains("| import nope | ❌ failed | 30 ms | ModuleNotFoundError: No module named 'nope' |"), md);
    assertTrue(md.contains("**Failure:** check 'import nope' failed"), md);
    assertEquals("earlier step\n" + md + "\n", Files.readString(summary));
  }

  @Test
  void aFailureBeforeAnyCheckIsAJunitTestCaseToo() throws Exception {
    SmokeResult r = new SmokeResult("prod", "https://hub.example.org/", null, "u", "failed", null, null,
        "2026-11-22T10:00:00Z", 1800, 0, 0, List.of(), "hub unreachable at https://hub.example.org/ …", "done");
    String xml = new SmokeReports(new Redactor()).junit(r);
    assertTrue(xml.contains("tests=\"1\" failures=\"1\""), xml);
    assertTrue(xml.contains("<testcase classname=\"datahub.smoke-test.prod\" name=\"hub and server\""), xml);
  }

  @Test
  void consoleSummaryListsEveryCheckWithTimeAndError() {
    CapturingLog log = new CapturingLog();
    new SmokeReports(new Redactor()).printSummary(failed(), log);
    List<String> lines = log.lines();
    assertTrue(lines.get(0).startsWith("INFO Smoke test of staging (https://hub.example.org/): FAILED in 12.3 s, "
        + "server start 4.0 s, 3 checks: 1 passed, 1 failed, 1 skipped"), lines.get(0));
    assertEquals("INFO   PASS import json (12 ms)", lines.get(1));
    assertEquals("WARN   FAIL import nope (30 ms) — ModuleNotFoundError: No module named 'nope'", lines.get(2));
    assertTrue(lines.get(3).startsWith("INFO   SKIP later (0 ms) — not run"), lines.get(3));
    assertEquals("WARN Smoke test failed: check 'import nope' failed: ModuleNotFoundError: No module named 'nope'",
        lines.get(lines.size() - 1));
  }
}
