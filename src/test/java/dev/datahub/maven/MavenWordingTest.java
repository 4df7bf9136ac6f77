package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.Words;
import dev.datahub.image.BuiltImage;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core names the setting that fixes a failure as data ({@link Fix}); the Maven layer words it as Maven users know
 * it (what jib-maven-plugin's helpful suggestions do), and the core's own words name no Maven syntax.
 */
class MavenWordingTest {

  private static final MavenWording MAVEN = MavenWording.INSTANCE;

  @Test
  void eachKindOfFixInMavensWords() {
    assertEquals("-Ddatahub.image.force=true", MAVEN.name(Fix.property("datahub.image.force", "true")));
    assertEquals("-Ddatahub.staging.kubeVersion", MAVEN.name(Fix.property("datahub.staging.kubeVersion", null)));
    assertEquals("<chart><digest>", MAVEN.name(Fix.element("chart", "digest")));
    assertEquals("add a <server> with id 'registry.example.org' and your username/password to settings.xml",
        MAVEN.name(Fix.credentials("registry.example.org", "your username/password")));
    assertEquals("datahub:smoke-test", MAVEN.name(Fix.goal("smoke-test")));
    assertEquals("mvn datahub:status", MAVEN.name(Fix.command("status")));
    assertEquals("'mvn package' (datahub:build-image)", MAVEN.name(Fix.inPhase("build-image", "package")));
    assertEquals("datahub:rollback -Ddatahub.environment=prod",
        MAVEN.name(Fix.goal("rollback", Fix.property("datahub.environment", "prod"))));
  }

  @Test
  void aCoreFailureKeepsTodaysWordsInMavenAndNamesNoMavenSyntaxWithout(@TempDir Path dir) {
    DataHubException e = assertThrows(DataHubException.class, () -> BuiltImage.readFrom(dir));
    Path file = dir.resolve("image.json");
    assertEquals("no built image at " + file + " — run 'mvn package' (datahub:build-image) first, or pass "
        + "-Ddatahub.image=<repository>@sha256:<digest>", e.message(MAVEN));
    assertEquals("no built image at " + file + " — run the build-image goal first, or pass "
        + "datahub.image=<repository>@sha256:<digest>", e.getMessage());
    assertEquals(List.of(Fix.inPhase("build-image", "package"),
        Fix.property("datahub.image", "<repository>@sha256:<digest>")), e.fixes());
    for (String maven : List.of("-D", "settings.xml", "datahub:", "mvn ")) {
      assertFalse(e.getMessage().contains(maven), e.getMessage());
    }
  }

  @Test
  void theMojoBoundaryRendersTheFixInMavensWords(@TempDir Path dir) {
    AbstractDataHubMojo mojo = new AbstractDataHubMojo() {
      @Override
      protected void run() {
        BuiltImage.readFrom(dir);
      }

      @Override
      protected String goalName() {
        return "deploy-staging";
      }
    };
    MojoFailureException failed = assertThrows(MojoFailureException.class, mojo::execute);
    assertEquals("no built image at " + dir.resolve("image.json") + " — run 'mvn package' (datahub:build-image) first, "
        + "or pass -Ddatahub.image=<repository>@sha256:<digest>", failed.getMessage());
  }

  @Test
  void textPastedBeforeTheFixKeepsItsBraces() {
    // a registry's or Helm's own message may hold "{}": the fixes stand in the last placeholders only
    Words words = Words.of("registry said {} (\"errors\": {}) — pass {}", Fix.property("datahub.image.force", "true"));
    assertEquals("registry said {} (\"errors\": {}) — pass -Ddatahub.image.force=true", words.in(MAVEN));
    assertEquals("registry said {} (\"errors\": {}) — pass datahub.image.force=true", words.toString());
  }

  @Test
  void nestedWordsAreWordedToo() {
    DataHubException inner = new DataHubException("rollback failed — inspect prod ({})", Fix.command("status"));
    DataHubException outer = new DataHubException(Words.of("smoke test failed; {}", inner.words()));
    assertEquals("smoke test failed; rollback failed — inspect prod (mvn datahub:status)", outer.message(MAVEN));
    assertEquals("smoke test failed; rollback failed — inspect prod (the status goal)", outer.getMessage());
    assertEquals(List.of(Fix.command("status")), outer.fixes());
  }
}
