package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation at the edge: every bad input fails before the hub is contacted, in one line naming the fix. */
class SmokeSpecTest {

  static String message(Runnable r) {
    String m = assertThrows(DataHubException.class, r::run).getMessage();
    assertTrue(!m.contains("\n"), "one line: " + m);
    return m;
  }

  @Test
  void durationsAreSecondsOrIso8601() {
    assertEquals(Duration.ofSeconds(300), SmokeSpec.duration("spawnTimeout", "300"));
    assertEquals(Duration.ofMillis(1500), SmokeSpec.duration("spawnTimeout", "1.5"));
    assertEquals(Duration.ofMinutes(5), SmokeSpec.duration("spawnTimeout", "PT5M"));
    assertEquals(Duration.ofSeconds(30), SmokeSpec.duration("spawnTimeout", "pt30s"));
    assertNull(SmokeSpec.duration("spawnTimeout", " "));
    assertTrue(message(() -> SmokeSpec.duration("spawnTimeout", "5m")).contains("spawnTimeout '5m' is not a duration"));
    assertTrue(message(() -> SmokeSpec.of(URI.create("http://h/")).withTimeouts(Duration.ZERO, null, null))
        .contains("spawnTimeout must be positive"));
  }

  @Test
  void hubUrlIsNormalised() {
    assertEquals(URI.create("https://hub.example.org/"), SmokeSpec.of(URI.create("https://hub.example.org")).hubUrl());
    assertEquals(URI.create("https://x.org/prefix/"), SmokeSpec.of(URI.create("https://x.org/prefix/hub")).hubUrl());
    assertTrue(message(() -> SmokeSpec.of(URI.create("hub.example.org"))).contains("is not an http(s) URL"));
    assertTrue(message(() -> SmokeSpec.hubUrl("http://bad host/")).contains("is invalid"));
  }

  @Test
  void userImportsAndImageAreValidated() {
    SmokeSpec spec = SmokeSpec.of(URI.create("http://h/"));
    assertEquals("datahub-smoke-test", spec.user());
    assertTrue(message(() -> spec.withUser("Smoke Test")).contains("is not a valid JupyterHub user name"));
    assertTrue(message(() -> spec.withImports("numpy; import os").snippetChecks()).contains("is not a Python module name"));
    assertTrue(message(() -> spec.withExpectedImage("repo:latest", true)).contains("names no digest"));
    String digest = "sha256:" + "0".repeat(64);
    assertEquals(digest, dev.datahub.image.Digest.in(spec.withExpectedImage("repo@" + digest, true).expectedImage()));
    assertTrue(message(() -> SmokeCheck.of("c", " ", null)).contains("has no <code>"));
  }

  @Test
  void notebooksAreReadCellByCell() {
    Notebook nb = Notebook.read(Path.of("src/test/resources/notebooks/ok.ipynb"));
    assertEquals(2, nb.codeCells().size(), "markdown cells are not run");
    assertEquals("import json\ndata = json.loads('{\"answer\": 42}')", nb.codeCells().get(0));
  }

  @Test
  void malformedNotebooksFailWithTheFix(@TempDir Path dir) throws Exception {
    assertTrue(message(() -> Notebook.read(Path.of("src/test/resources/notebooks/truncated.ipynb")))
        .contains("truncated.ipynb is not valid JSON"));
    assertTrue(message(() -> Notebook.read(dir.resolve("missing.ipynb"))).contains("does not exist"));
    Path noCells = Files.writeString(dir.resolve("a.ipynb"), "{\"nbformat\": 4}");
    assertTrue(message(() -> Notebook.read(noCells)).contains("is not an .ipynb notebook (no \"cells\" array)"));
    Path old = Files.writeString(dir.resolve("b.ipynb"), "{\"nbformat\": 3, \"cells\": []}");
    assertTrue(message(() -> Notebook.read(old)).contains("has nbformat 3, only nbformat 4 is supported"));
    Path badCell = Files.writeString(dir.resolve("c.ipynb"), "{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\"}]}");
    assertTrue(message(() -> Notebook.read(badCell)).contains("cell 1 has no \"source\""));
    assertTrue(message(() -> Notebook.read(badCell)).endsWith("open and re-save it in Jupyter, or remove it from <notebooks>"));
  }
}
