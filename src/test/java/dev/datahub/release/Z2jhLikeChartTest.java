package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ChartRepositoryServer;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.log.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plan and validate on a chart of our own with zero-to-jupyterhub's traits (src/test/resources/charts/jupyterhub-like:
 * kubeVersion constraint, lookup of a Secret, only values.schema.yaml with additionalProperties false, fail on a list
 * where a map is expected, a pre-upgrade image-puller hook), used directly and as the repository dependency of a
 * DataHub-style wrapper chart. No cluster anywhere: nothing but the real Helm engine.
 */
class Z2jhLikeChartTest {

  static final Path Z2JH_LIKE = Path.of("src/test/resources/charts/jupyterhub-like");
  static final Path WRAPPER = Path.of("src/test/resources/charts/hub-wrapper");
  private static final String TOKEN = "pr0xy-t0ken-z2jh-like-4411";

  @TempDir Path tmp;
  final Redactor redactor = new Redactor();

  EnvironmentSpec env(String imagePath, String kubeVersion, String... valuesYaml) throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (int i = 0; i < valuesYaml.length; i++) {
      files.add(Files.writeString(tmp.resolve("values-" + i + ".yaml"), valuesYaml[i]));
    }
    Path secret = Files.writeString(tmp.resolve("secret.yaml"), (imagePath.startsWith("jupyterhub.")
        ? "jupyterhub:\n  proxy:\n    secretToken: \"" : "proxy:\n  secretToken: \"") + TOKEN + "\"\n");
    // A kubeconfig that names no reachable cluster: the render must not need one.
    return new EnvironmentSpec("staging", tmp.resolve("no-such-kubeconfig"), "staging-ctx", "staging", "hub", files,
        List.of(secret), imagePath, null, true, true, null, kubeVersion);
  }

  ReleasePlan plan(EnvironmentSpec env, ChartSource chart) {
    ComposedValues values = new ValuesComposer(redactor).compose(List.of(), env, ReleaseFixture.image('d'),
        tmp.resolve("work"));
    return new ReleasePlanner(redactor, tmp.resolve("cache")).plan(env, chart, values, ReleaseFixture.image('d'),
        null);
  }

  /** A copy of the wrapper chart whose dependency {@code jupyterhub} comes from {@code repositoryUrl}. */
  static Path wrapper(Path dir, String repositoryUrl) throws IOException {
    Path wrapper = dir.resolve("hub");
    PreparedChart.copyTree(WRAPPER, wrapper);
    Path chartYaml = wrapper.resolve("Chart.yaml");
    Files.writeString(chartYaml, Files.readString(chartYaml).replace("@REPOSITORY@", repositoryUrl));
    return wrapper;
  }

  /** A YAML field line {@code key: value}, quoted or not. */
  static boolean hasField(String yaml, String key, String value) {
    return java.util.regex.Pattern.compile("(?m)^\\s*" + java.util.regex.Pattern.quote(key) + ": [\"']?"
        + java.util.regex.Pattern.quote(value) + "[\"']?$").matcher(yaml).find();
  }

  @Test
  void planRendersTheFullManifestOfALookupChartOfflineWithTheImageInsideAndSecretsMasked() throws IOException {
    ReleasePlan plan = plan(env("singleuser.image", null), ChartSource.local(Z2JH_LIKE));
    String text = String.join("\n", plan.lines());
    System.out.println(text);
    assertEquals(List.of("ConfigMap/hub", "Deployment/hub", "Deployment/proxy", "Secret/hub"), plan.renderedResources());
    assertEquals(List.of("DaemonSet/hook-image-puller (pre-install,pre-upgrade)"), plan.hooks());
    String image = "registry.example.org/datahub/user:1@sha256:" + "d".repeat(64);
    assertTrue(plan.images().contains(image + " — DaemonSet/hook-image-puller"), text);
    assertTrue(hasField(plan.manifest(), "singleuser.image", image), plan.manifest());
    assertTrue(plan.kubeVersion().startsWith("1.33.0 (the default"), plan.kubeVersion());
    assertEquals("values.schema.yaml (converted to JSON for Helm)", plan.schema());
    assertTrue(plan.notes().stream().anyMatch(n -> n.contains("calls lookup")), text);
    assertTrue(hasField(plan.manifest(), "proxy.token", "****"), plan.manifest());
    assertFalse(plan.manifest().contains(TOKEN) || text.contains(TOKEN));
    assertFalse(plan.manifest().contains(java.util.Base64.getEncoder().encodeToString(TOKEN.getBytes())));
    assertTrue(Files.isRegularFile(Z2JH_LIKE.resolve("values.schema.yaml"))
        && !Files.exists(Z2JH_LIKE.resolve("values.schema.json")), "the configured chart is never changed");
  }

  @Test
  void aKubeVersionTheChartExcludesFailsWithOneLineNamingConstraintVersionAndSetting() throws IOException {
    DataHubException e = assertThrows(DataHubException.class,
        () -> plan(env("singleuser.image", "1.27"), ChartSource.local(Z2JH_LIKE)));
    assertEquals("chart jupyterhub-4.1.0 requires Kubernetes >=1.28.0-0 (its Chart.yaml kubeVersion), which excludes "
        + "the version it was rendered for, 1.27.0 (<environments><staging><kubeVersion> (or "
        + "datahub.staging.kubeVersion)) — set the version your cluster runs", e.getMessage());
    assertEquals("1.29.4 (<environments><staging><kubeVersion> (or datahub.staging.kubeVersion))",
        plan(env("singleuser.image", "v1.29.4"), ChartSource.local(Z2JH_LIKE)).kubeVersion());
  }

  @Test
  void theChartsOwnFailATemplateErrorAndASchemaViolationEachFailWithOneLine() throws IOException {
    ChartSource chart = ChartSource.local(Z2JH_LIKE);
    String fail = assertThrows(DataHubException.class, () -> plan(env("singleuser.image", null,
        "hub:\n  extraEnv:\n    - name: A\n      value: b\n"), chart)).getMessage();
    // Helm names the template being executed (hub-deployment.yaml includes hub-configmap.yaml for its checksum)
    assertTrue(fail.contains("execution error at (jupyterhub/templates/hub-") && fail.contains(
        "hub.extraEnv must be a map"), fail);
    String template = assertThrows(DataHubException.class, () -> plan(env("singleuser.image", null,
        "hub:\n  extraEnv: 42\n"), chart)).getMessage();
    assertTrue(template.contains("jupyterhub/templates/hub-configmap.yaml"), template);
    String schema = assertThrows(DataHubException.class, () -> plan(env("singleuser.image", null,
        "singleuser:\n  cpu: 2\n"), chart)).getMessage();
    assertTrue(schema.contains("singleuser") && schema.contains("cpu") && schema.contains("schema"), schema);
    for (String message : List.of(fail, template, schema)) {
      assertFalse(message.contains("\n"), message);
      assertTrue(message.startsWith("chart jupyterhub-4.1.0 does not render with staging's values: "), message);
      assertFalse(message.contains(TOKEN), message);
    }
  }

  @Test
  void aChartWithoutAnySchemaSaysNoSchemaWasRead() throws IOException {
    Path copy = tmp.resolve("noschema");
    PreparedChart.copyTree(Z2JH_LIKE, copy);
    Files.delete(copy.resolve("values.schema.yaml"));
    ReleasePlan plan = plan(env("singleuser.image", null, "singleuser:\n  cpu: 2\n"), ChartSource.local(copy));
    assertNull(plan.schema());
    assertTrue(String.join("\n", plan.lines()).contains("values schema: none in the chart — values were NOT checked"));
  }

  @Test
  void aWrapperChartGetsItsDependencyFromTheRepositoryVerifiedCachedAndNotFetchedWhenChartsHoldsIt() throws Exception {
    try (ChartRepositoryServer repository = new ChartRepositoryServer(tmp.resolve("repo"))) {
      repository.publish(Z2JH_LIKE, "jupyterhub", "4.1.0");
      Path wrapper = wrapper(tmp, repository.url());
      EnvironmentSpec env = env("jupyterhub.singleuser.image", null);

      ReleasePlan plan = plan(env, ChartSource.local(wrapper));
      String text = String.join("\n", plan.lines());
      System.out.println(text);
      assertTrue(plan.renderedResources().containsAll(List.of("ConfigMap/hub", "Deployment/hub", "Deployment/proxy",
          "Secret/hub", "Ingress/jupyterhub")), text);
      assertTrue(plan.images().contains("registry.example.org/datahub/user:1@sha256:" + "d".repeat(64)
          + " — DaemonSet/hook-image-puller"), text);
      assertTrue(hasField(plan.manifest(), "singleuser.defaultUrl", "/tree"), "the wrapper's values reach z2jh");
      assertEquals("charts/jupyterhub/values.schema.yaml (converted to JSON for Helm)", plan.schema());
      assertTrue(plan.notes().stream().anyMatch(n -> n.matches("dependency jupyterhub 4\\.1\\.0 from "
          + java.util.regex.Pattern.quote(repository.url()) + " sha256:[0-9a-f]{64} \\(verified, cached\\)")), text);
      assertFalse(Files.exists(wrapper.resolve("charts")), "the configured chart is never changed");
      int fetches = repository.requests().size();
      assertEquals(2, fetches, "index.yaml and the archive: " + repository.requests());

      plan(env, ChartSource.local(wrapper));
      new ReleasePlanner(redactor, tmp.resolve("cache")).lint(ChartSource.local(wrapper)); // validate's helm lint
      assertEquals(fetches, repository.requests().size(), "second plan and lint: from the cache");

      // charts/ already holds the dependency (helm dependency build): no network, no cache
      Files.createDirectories(wrapper.resolve("charts"));
      Files.copy(tmp.resolve("repo/jupyterhub-4.1.0.tgz"), wrapper.resolve("charts/jupyterhub-4.1.0.tgz"));
      ReleasePlan offline = new ReleasePlanner(redactor, tmp.resolve("empty-cache")).plan(env,
          ChartSource.local(wrapper), new ValuesComposer(redactor).compose(List.of(), env, null, tmp.resolve("w2")),
          null, null);
      assertEquals(fetches, repository.requests().size(), "charts/ holds it: nothing fetched");
      assertTrue(offline.notes().stream().noneMatch(n -> n.startsWith("dependency")), offline.notes().toString());

      // a dependency archive that does not match the index's digest is refused
      Files.delete(wrapper.resolve("charts/jupyterhub-4.1.0.tgz"));
      Files.writeString(repository.index(), Files.readString(repository.index())
          .replaceFirst("digest: [0-9a-f]{64}", "digest: " + "0".repeat(64)));
      DataHubException tampered = assertThrows(DataHubException.class, () -> new ReleasePlanner(redactor,
          tmp.resolve("fresh-cache")).plan(env, ChartSource.local(wrapper), new ValuesComposer(redactor).compose(
          List.of(), env, null, tmp.resolve("w3")), null, null));
      assertTrue(tampered.getMessage().contains("does not match the repository's digest"), tampered.getMessage());
    }
  }
}
