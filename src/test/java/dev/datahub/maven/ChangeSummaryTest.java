package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.image.BuiltImage;
import dev.datahub.log.Redactor;
import dev.datahub.smoke.CheckResult;
import dev.datahub.smoke.SmokeReports;
import dev.datahub.smoke.SmokeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -T 2 verify} on a three-hub reactor, from the files the verify goals leave per hub (image.json, diff.json
 * as the plan writes it, the staging plan, the image test's result): one Markdown summary for the whole reactor, written
 * once at the root and appended to {@code $GITHUB_STEP_SUMMARY}, that says per hub whether the image changed, what
 * changes, the plan and the image test — and no secret, even one that reached a plan file unmasked.
 */
class ChangeSummaryTest {

  static final String SECRET = "hub-cookie-secret-5e8c1d";

  @TempDir Path tmp;

  @Test
  void oneMarkdownSummaryForTheReactor() throws Exception {
    hubFiles();
    Path stepSummary = tmp.resolve("step-summary.md");
    Files.writeString(stepSummary, "earlier step\n");
    Path secrets = tmp.resolve("staging-secret.yaml");
    Files.writeString(secrets, "hub:\n  cookieSecret: \"" + SECRET + "\"\n");
    List<String> lines = new CopyOnWriteArrayList<>();

    List<MavenProject> projects = new ArrayList<>(List.of(project("hubs", true)));
    for (String hub : List.of("hub-a", "hub-b", "hub-c")) {
      projects.add(project(hub, false));
    }
    MavenSession session = new MavenSession(null, new DefaultMavenExecutionRequest(),
        new DefaultMavenExecutionResult(), projects);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (MavenProject project : projects) {
        runs.add(pool.submit(() -> {
          ChangeSummaryMojo mojo = new ChangeSummaryMojo();
          mojo.setLog(new CapturingMavenLog(lines));
          mojo.project = project;
          mojo.session = session;
          mojo.environments = new Environments();
          mojo.environments.staging = new EnvironmentConfig();
          mojo.environments.staging.secretValues = List.of(secrets.toFile());
          mojo.environmentVariables = name -> "GITHUB_STEP_SUMMARY".equals(name) ? stepSummary.toString() : null;
          mojo.execute();
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    Path file = tmp.resolve("target/datahub/change-summary.md");
    String md = Files.readString(file);
    System.out.println(md);
    for (String hub : List.of("hub-a", "hub-b", "hub-c")) {
      assertFalse(Files.exists(tmp.resolve(hub + "/target/datahub/change-summary.md")), hub);
    }
    String summary = Files.readString(stepSummary);
    assertTrue(summary.startsWith("earlier step\n## DataHub: what this change does"), summary);
    assertEquals(1, summary.split("## DataHub: what this change does", -1).length - 1, "written once: " + summary);
    assertEquals(1, lines.stream().filter(l -> l.contains("Change summary: ")).count(), String.join("\n", lines));

    String[] rows = md.lines().filter(l -> l.startsWith("| hub-")).toArray(String[]::new);
    assertEquals(3, rows.length, md);
    // hub-a: its image changed; the package diff, the plan and a passed image test are in its row
    assertTrue(rows[0].startsWith("| hub-a | CHANGED aaaaaaaaaaaa |"), rows[0]);
    assertTrue(rows[0].contains("numpy 1.26.4 -> 2.1.0 (upgraded); pandas 2.2.3 (added); xlrd 2.0.1 (removed); … 1 more "
        + "(against registry.example.org/hubs/hub-a:staging"), rows[0]);
    assertTrue(rows[0].contains("staging: chart hub-1.4.0, 7 resources, rendered offline"), rows[0]);
    assertTrue(rows[0].endsWith("| passed (2/2 checks) |"), rows[0]);
    // hub-b: nothing compared it, but the registry had an image from the same inputs; image test did not run
    assertTrue(rows[1].startsWith("| hub-b | unchanged bbbbbbbbbbbb (same inputs as an image in the registry) | - |"),
        rows[1]);
    assertTrue(rows[1].endsWith("| did not run |"), rows[1]);
    // hub-c: the diff says nothing changes; the plan against the cluster; a failed image test with its reason
    assertTrue(rows[2].startsWith("| hub-c | unchanged cccccccccccc | nothing against registry.example.org/hubs/hub-c:"
        + "staging |"), rows[2]);
    assertTrue(rows[2].contains("against live revision 4: 1 resource(s) and 2 value(s) change"), rows[2]);
    assertTrue(rows[2].contains("failed (1/2 checks): import pandas failed"), rows[2]);
    assertTrue(md.contains("```diff\nnumpy 1.26.4 -> 2.1.0 (upgraded)\n"), md);
    assertTrue(md.contains("  - `~ hub.cookieSecret: **** -> ****`"), md);
    assertTrue(md.contains("  - note: cookie ****"), md);
    assertFalse(md.contains(SECRET), md);
    assertFalse(summary.contains(SECRET));
    lines.forEach(l -> assertFalse(l.contains(SECRET), l));
  }

  private MavenProject project(String name, boolean aggregator) {
    MavenProject p = new MavenProject();
    p.setArtifactId(name);
    Path dir = aggregator ? tmp : tmp.resolve(name);
    p.setFile(dir.resolve("pom.xml").toFile());
    p.getBuild().setDirectory(dir.resolve("target").toString());
    if (aggregator) {
      p.setPackaging("pom");
      p.getModules().addAll(List.of("hub-a", "hub-b", "hub-c"));
      p.setExecutionRoot(true);
    }
    return p;
  }

  private void hubFiles() throws Exception {
    write("hub-a", image("hub-a", 'a', false));
    write("hub-a", "diff.json", """
        {"against": "registry.example.org/hubs/hub-a:staging (sha256:1111)", "lines": [
          "numpy 1.26.4 -> 2.1.0 (upgraded)", "pandas 2.2.3 (added)", "xlrd 2.0.1 (removed)",
          "notebooks -> /srv/notebooks: layer changed (welcome.ipynb)"]}
        """);
    write("hub-a", "release/staging-plan.json", plan(false, "[]", "[]", "[]"));
    new SmokeReports(new Redactor()).write(new SmokeResult("image-test", "http://127.0.0.1/", null, "jovyan", "passed",
        null, null, "2026-11-30T00:00:00Z", 3000, 1000, 200, List.of(new CheckResult("import numpy", "passed", 40, null,
        null), new CheckResult("notebook welcome.ipynb", "passed", 900, null, null)), null, "done"),
        tmp.resolve("hub-a/target/datahub/image-test"), null);

    write("hub-b", image("hub-b", 'b', true));
    write("hub-b", "release/staging-plan.json", plan(false, "[]", "[]", "[]"));

    write("hub-c", image("hub-c", 'c', false));
    write("hub-c", "diff.json", "{\"against\": \"registry.example.org/hubs/hub-c:staging\", \"lines\": []}");
    // a plan file with a secret that was not masked (an older plugin, a hand-written file): the summary masks it
    write("hub-c", "release/staging-plan.json", plan(true, "[\"~ ConfigMap/hub\"]",
        "[\"~ hub.cookieSecret: " + SECRET + " -> ****\", \"~ singleuser.image.tag: a -> b\"]",
        "[\"cookie " + SECRET + "\"]"));
    new SmokeReports(new Redactor()).write(new SmokeResult("image-test", "http://127.0.0.1/", null, "jovyan", "failed",
        null, null, "2026-11-30T00:00:00Z", 3000, 1000, 200, List.of(new CheckResult("import json", "passed", 40, null,
        null), new CheckResult("import pandas", "failed", 50, "ModuleNotFoundError", null)), "import pandas failed",
        "done"), tmp.resolve("hub-c/target/datahub/image-test"), null);
  }

  private static String image(String hub, char hex, boolean reused) {
    return "{\"repository\": \"registry.example.org/hubs/" + hub + "\", \"digest\": \"sha256:" + String.valueOf(hex)
        .repeat(64) + "\", \"imageId\": \"sha256:" + "9".repeat(64) + "\", \"tags\": [\"h0123\"], \"hashTag\": \"h0123\","
        + " \"baseImage\": \"quay.io/jupyter/base-notebook:python-3.11\", \"baseDigest\": \"sha256:" + "8".repeat(64)
        + "\", \"inputHash\": \"0123\", \"pushed\": true, \"tarball\": null, \"reusedExisting\": " + reused + "}";
  }

  private static String plan(boolean cluster, String resourceChanges, String valueChanges, String notes) {
    return "{\"environment\": \"staging\", \"image\": null, \"chart\": \"hub-1.4.0\", \"kubeVersion\": \"1.33.0\","
        + " \"renderedResources\": [\"ConfigMap/hub\", \"Deployment/hub\", \"Deployment/proxy\", \"Ingress/jupyterhub\","
        + " \"Secret/hub\", \"Service/hub\", \"Service/proxy-public\"], \"images\": [\"quay.io/jupyterhub/k8s-hub:4.1.0 "
        + "— Deployment/hub\"], \"notes\": " + notes + ", \"comparedWithCluster\": " + cluster + ", \"liveRevision\": "
        + (cluster ? "4" : "null") + ", \"resourceChanges\": " + resourceChanges + ", \"fieldChanges\": [],"
        + " \"valueChanges\": " + valueChanges + ", \"secretPaths\": [\"hub.cookieSecret\"]}";
  }

  private void write(String hub, String content) throws Exception {
    write(hub, BuiltImage.FILE_NAME, content);
  }

  private void write(String hub, String name, String content) throws Exception {
    Path file = tmp.resolve(hub + "/target/datahub/" + name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
