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
import java.util.List;
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
    assertTrue(message(() -> SmokeSpec.of(URI.create("https://h/")).withTimeouts(Duration.ZERO, null, null))
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
  void plainHttpHubsAreRefusedUnlessLoopbackOrListed() {
    String m = message(() -> SmokeSpec.of(URI.create("http://hub.example.org/")));
    assertTrue(m.startsWith("hub URL http://hub.example.org/ is plain http: the API token would travel in clear"), m);
    assertTrue(m.endsWith("(datahub.smoke.allowInsecureHubs=hub.example.org)"), m);
    // Names that merely look like loopback are not.
    message(() -> SmokeSpec.of(URI.create("http://127.0.0.1.nip.io/")));
    message(() -> SmokeSpec.of(URI.create("http://localhost.example.org:8000/")));
    for (String ok : List.of("http://127.0.0.1:8000/", "http://localhost/", "http://[::1]:8000/", "https://hub.example.org/")) {
      assertEquals(URI.create(ok), SmokeSpec.of(URI.create(ok)).hubUrl());
    }
    SmokeSpec listed = new SmokeSpec(null, URI.create("http://hub.internal/"), null, null, null, null, null, null, null,
        null, null, false, null, true, List.of("Hub.Internal"));
    assertEquals(URI.create("http://hub.internal/"), listed.hubUrl(), "listed on purpose");
    assertEquals(List.of("hub.internal"), listed.withUser("u").allowInsecureHubs(), "kept by the with… methods");
    message(() -> new SmokeSpec(null, URI.create("http://other.internal/"), null, null, null, null, null, null, null,
        null, null, false, null, true, List.of("hub.internal")));
  }

  @Test
  void userImportsAndImageAreValidated() {
    SmokeSpec spec = SmokeSpec.of(URI.create("https://h/"));
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
