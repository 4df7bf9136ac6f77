package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.log.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasePlannerTest {

  private static final String NEW_TOKEN = "n3w-pr0xy-t0ken-91c2";

  @TempDir Path tmp;

  @Test
  void planAgainstTheLiveReleaseListsChangedResourcesAndValuesWithSecretsMasked() throws Exception {
    try (ReleaseFixture fx = new ReleaseFixture(tmp)) {
      EnvironmentSpec env = fx.staging();
      HubRelease staging = fx.release(env);
      staging.deploy(fx.request(ReleaseFixture.image('a')));

      // A fresh JVM's view: nothing registered with the redactor except what this plan reads.
      Redactor redactor = new Redactor();
      Path rotated = fx.file("rotated-secret.yaml", "proxy:\n  secretToken: \"" + NEW_TOKEN + "\"\n");
      EnvironmentSpec next = new EnvironmentSpec("staging", env.kubeconfig(), env.kubeContext(), env.namespace(),
          env.release(), env.valuesFiles(), List.of(rotated), null, env.timeout(), true, true, null);
      ImageRef image = ReleaseFixture.image('b');
      ComposedValues values = new ValuesComposer(redactor).compose(List.of(), next, image, tmp.resolve("work"));

      ReleasePlan plan = new ReleasePlanner(redactor).plan(next, ChartSource.local(ReleaseFixture.CHART), values, image,
          staging);
      String text = String.join("\n", plan.lines());
      System.out.println(text);

      assertEquals(1, plan.liveRevision());
      assertTrue(plan.kubeVersion().contains("the cluster's own version"), plan.kubeVersion());
      assertTrue(plan.resourceChanges().contains("~ ConfigMap/hub"), text);
      assertTrue(plan.resourceChanges().contains("~ Deployment/hub"), text);
      assertTrue(plan.resourceChanges().contains("~ Secret/hub"), text);
      assertFalse(plan.resourceChanges().contains("~ Deployment/proxy"), "proxy is unchanged: " + text);
      // field by field, Secret data masked
      assertTrue(plan.fieldChanges().contains("~ ConfigMap/hub data.singleuser.image: \"registry.example.org/datahub/"
          + "user:1@sha256:" + "a".repeat(64) + "\" -> \"registry.example.org/datahub/user:1@sha256:" + "b".repeat(64)
          + "\""), text);
      assertTrue(plan.fieldChanges().contains("~ Secret/hub data.proxy.token: **** -> ****"), text);
      assertTrue(text.contains("    ~ ConfigMap/hub\n        ~ data.singleuser.image: "), text);
      assertTrue(plan.valueChanges().contains("~ singleuser.image.tag: \"1@sha256:" + "a".repeat(64) + "\" -> \"1@sha256:"
          + "b".repeat(64) + "\""), text);
      assertTrue(plan.valueChanges().contains("~ proxy.secretToken: **** -> ****"), text);
      assertFalse(text.contains(NEW_TOKEN), text);
      assertFalse(text.contains(ReleaseFixture.SECRET_TOKEN), text);
      assertFalse(fx.log.text().contains(ReleaseFixture.SECRET_TOKEN));
    }
  }

  @Test
  void withoutAClusterPlanRendersTheLookupChartOfflineEvenWhenTheDefaultKubeconfigNamesADeadCluster() throws Exception {
    // Whatever KUBECONFIG / ~/.kube/config say (a pull-request machine may name a cluster that is gone), the render
    // reads no kubeconfig: lookup returns nothing, as in helm template.
    Redactor redactor = new Redactor();
    Path secret = Files.writeString(tmp.resolve("s.yaml"), "proxy:\n  secretToken: \"" + NEW_TOKEN + "\"\n");
    EnvironmentSpec env = new EnvironmentSpec("staging", null, "staging-ctx", "staging", "hub", List.of(),
        List.of(secret), null, null, true, true, null);
    ImageRef image = ReleaseFixture.image('c');
    ComposedValues values = new ValuesComposer(redactor).compose(List.of(), env, image, tmp.resolve("work"));

    ReleasePlan plan = new ReleasePlanner(redactor).plan(env, ChartSource.local(ReleaseFixture.CHART), values, image,
        null);
    String text = String.join("\n", plan.lines());
    System.out.println(text);
    assertFalse(plan.comparedWithCluster());
    assertEquals(List.of("ConfigMap/hub", "Deployment/hub", "Deployment/proxy", "Secret/hub"), plan.renderedResources());
    assertTrue(plan.notes().stream().anyMatch(n -> n.contains("calls lookup")), text);
    assertTrue(Z2jhLikeChartTest.hasField(plan.manifest(), "singleuser.image", image.fullReference()), plan.manifest());
    assertTrue(text.contains("not compared with a cluster"), text);
    assertFalse(text.contains(NEW_TOKEN));
    assertFalse(plan.manifest().contains(NEW_TOKEN));
  }

  /** Why 10: a key removed from the secret files was printed in clear from the live release. */
  @Test
  void aSecretRemovedFromTheSecretFilesIsStillMaskedWhereTheLiveReleaseHasIt() throws Exception {
    String removed = "db-passw0rd-removed-5e1";
    try (ReleaseFixture fx = new ReleaseFixture(tmp)) {
      EnvironmentSpec env = fx.staging();
      Path withDb = fx.file("with-db.yaml", "proxy:\n  secretToken: \"" + ReleaseFixture.SECRET_TOKEN + "\"\n"
          + "hub:\n  db:\n    password: \"" + removed + "\"\n");
      EnvironmentSpec before = new EnvironmentSpec("staging", env.kubeconfig(), env.kubeContext(), env.namespace(),
          env.release(), env.valuesFiles(), List.of(withDb), null, env.timeout(), true, true, null);
      HubRelease staging = fx.release(before);
      staging.deploy(fx.request(ReleaseFixture.image('a')));
      assertTrue(staging.records().latest().orElseThrow().bundle().secretPaths().contains("hub.db.password"));

      // The next run (a fresh JVM: nothing registered) no longer lists hub.db.password in the secret files.
      Redactor redactor = new Redactor();
      ComposedValues values = new ValuesComposer(redactor).compose(List.of(), env, ReleaseFixture.image('a'),
          tmp.resolve("work"));
      ReleasePlan plan = new ReleasePlanner(redactor).plan(env, ChartSource.local(ReleaseFixture.CHART), values,
          ReleaseFixture.image('a'), staging);
      String text = String.join("\n", plan.lines());
      assertTrue(plan.valueChanges().contains("- hub.db.password: ****"), text);
      assertFalse(text.contains(removed), text);
      assertFalse(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(plan).contains(removed));
      assertTrue(plan.secretValuesHmac().startsWith("hmac-sha256:"), "keyed, never a bare hash: " + text);
    }
  }
}
