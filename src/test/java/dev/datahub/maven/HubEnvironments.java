package dev.datahub.maven;

import dev.datahub.fixtures.LocalJupyterHub;
import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecords;

/**
 * The staging and prod environments of the mojo tests that go through a real hub: both on the mock cluster, release
 * {@code hub}, a 30 s rollout timeout, the hub's URL for the smoke test.
 */
final class HubEnvironments {

  private HubEnvironments() {}

  static Environments of(ReleaseFixture fx, LocalJupyterHub hub) {
    Environments environments = new Environments();
    environments.staging = environment(fx, hub, MockCluster.STAGING_CONTEXT, "staging");
    environments.prod = environment(fx, hub, MockCluster.PROD_CONTEXT, "prod");
    return environments;
  }

  static EnvironmentConfig environment(ReleaseFixture fx, LocalJupyterHub hub, String context, String namespace) {
    EnvironmentConfig c = new EnvironmentConfig();
    c.kubeContext = context;
    c.kubeconfig = fx.cluster.kubeconfig().toFile();
    c.namespace = namespace;
    c.release = "hub";
    c.timeout = "30s";
    c.hubUrl = hub.url().toString();
    return c;
  }

  /** The newest deployment record of the environment whose namespace has its name. */
  static DeploymentRecord latest(ReleaseFixture fx, String environment) {
    return new DeploymentRecords(fx.cluster.client(), environment, environment, 5).latest().orElseThrow();
  }
}
