package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import dev.datahub.fixtures.ChartRepositoryServer;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.log.Redactor;
import dev.datahub.image.Digest;
import dev.datahub.promotion.Promotion;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways operators get z2jh besides a plain chart repository: a DataHub-style wrapper chart whose dependency
 * {@code jupyterhub} comes from a chart repository (image path {@code jupyterhub.singleuser.image}), and an OCI chart
 * ({@code oci://}) pushed by Helm to the local registry (distribution 2.8). Each is deployed to staging (real Helm
 * engine, mock cluster) and planned against it; the wrapper is also promoted to prod.
 */
class WrapperAndOciChartsTest {

  @TempDir Path tmp;
  ReleaseFixture fx;

  @BeforeEach
  void start() {
    fx = new ReleaseFixture(tmp);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private EnvironmentSpec env(String name, String context, String imagePath) throws Exception {
    String prefix = imagePath.startsWith("jupyterhub.") ? "jupyterhub:\n  " : "";
    Path secret = Files.writeString(tmp.resolve(name + "-secret.yaml"), prefix + "proxy:\n" + (prefix.isEmpty() ? "  "
        : "    ") + "secretToken: \"" + ReleaseFixture.SECRET_TOKEN + "\"\n");
    return new EnvironmentSpec(name, fx.cluster.kubeconfig(), context, name, "hub", List.of(), List.of(secret),
        imagePath, Duration.ofSeconds(20), true, true, "http://" + name + ".hub.example.org");
  }

  private ReleasePlan plan(HubRelease live, ChartSource chart, char image) {
    Redactor redactor = new Redactor();
    ComposedValues values = new ValuesComposer(redactor).compose(List.of(), live.environment(),
        ReleaseFixture.image(image), tmp.resolve("plan-work"));
    return new ReleasePlanner(redactor, tmp.resolve("cache")).plan(live.environment(), chart, values,
        ReleaseFixture.image(image), live);
  }

  @Test
  void aWrapperChartWithARepositoryDependencyDeploysPlansAndIsPromoted() throws Exception {
    try (ChartRepositoryServer repository = new ChartRepositoryServer(tmp.resolve("repo"))) {
      repository.publish(Z2jhLikeChartTest.Z2JH_LIKE, "jupyterhub", "4.1.0");
      Path wrapper = Z2jhLikeChartTest.wrapper(tmp, repository.url());
      ChartSource chart = ChartSource.local(wrapper);
      HubRelease staging = fx.release(env("staging", MockCluster.STAGING_CONTEXT, "jupyterhub.singleuser.image"));
      HubRelease prod = fx.release(env("prod", MockCluster.PROD_CONTEXT, "jupyterhub.singleuser.image"));

      DeploymentRecord deployed = staging.deploy(new HubRelease.DeployRequest(chart, List.of(),
          ReleaseFixture.image('a'), "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false));
      assertEquals(DeploymentRecord.Result.SUCCEEDED, deployed.result(), String.valueOf(deployed.failure()));
      assertEquals("registry.example.org/datahub/user:1@sha256:" + "a".repeat(64),
          staging.imageOf(staging.store().lastDeployed().orElseThrow()));
      assertTrue(staging.store().lastDeployed().orElseThrow().manifest().contains("kind: Ingress"));

      ReleasePlan plan = plan(staging, chart, 'b');
      String text = String.join("\n", plan.lines());
      System.out.println(text);
      assertEquals(List.of("~ ConfigMap/hub", "~ Deployment/hub", "~ Secret/hub"), plan.resourceChanges(), text);
      assertTrue(plan.fieldChanges().contains("~ ConfigMap/hub data.singleuser.image: \"registry.example.org/datahub/"
          + "user:1@sha256:" + "a".repeat(64) + "\" -> \"registry.example.org/datahub/user:1@sha256:" + "b".repeat(64)
          + "\""), text);
      assertTrue(plan.valueChanges().contains("~ jupyterhub.singleuser.image.tag: \"1@sha256:" + "a".repeat(64)
          + "\" -> \"1@sha256:" + "b".repeat(64) + "\""), text);

      fx.smoke(staging, true, "sha256:" + "a".repeat(64), "passed");
      DeploymentRecord onProd = new Promotion(staging, prod,
          (e, u, i) -> new SmokeVerdict(true, Digest.in(i), u, "passed"), fx.redactor.wrap(fx.log))
          .promote(chart, List.of(), "abc123", false, null, false);
      assertEquals(DeploymentRecord.Result.SUCCEEDED, onProd.result(), String.valueOf(onProd.failure()));
      assertEquals("registry.example.org/datahub/user:1@sha256:" + "a".repeat(64),
          prod.imageOf(prod.store().lastDeployed().orElseThrow()));
    }
  }

  @Test
  void anOciChartPushedToTheLocalRegistryDeploysAndPlans() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      Path packaged = Files.createDirectories(tmp.resolve("packaged"));
      new Helm(Z2jhLikeChartTest.Z2JH_LIKE).packageIt().withDestination(packaged).call();
      // a path of its own: verified archives are cached by reference, and a later run may get the same port
      String remote = "oci://" + registry.host() + "/charts-" + java.util.UUID.randomUUID();
      Helm.push().withChart(packaged.resolve("jupyterhub-4.1.0.tgz")).withRemote(URI.create(remote)).plainHttp().call();
      ChartSource chart = ChartSource.oci(remote + "/jupyterhub", "4.1.0");
      HubRelease staging = fx.release(env("staging", MockCluster.STAGING_CONTEXT, "singleuser.image"));

      DeploymentRecord deployed = staging.deploy(new HubRelease.DeployRequest(chart, List.of(),
          ReleaseFixture.image('a'), "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false));
      assertEquals(DeploymentRecord.Result.SUCCEEDED, deployed.result(), String.valueOf(deployed.failure()));
      assertEquals("jupyterhub", deployed.chartName());

      ReleasePlan plan = plan(staging, chart, 'b');
      String text = String.join("\n", plan.lines());
      System.out.println(text);
      assertEquals("values.schema.yaml (converted to JSON for Helm)", plan.schema(), text);
      assertTrue(plan.resourceChanges().contains("~ ConfigMap/hub"), text);
      assertTrue(plan.images().contains("registry.example.org/datahub/user:1@sha256:" + "b".repeat(64)
          + " — DaemonSet/hook-image-puller"), text);
    }
  }
}
