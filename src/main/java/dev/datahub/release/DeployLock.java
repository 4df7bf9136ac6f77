package dev.datahub.release;

import dev.datahub.DataHubException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The Lease {@code datahub-deploy} in the environment's namespace: one deploy, rollback or recovery at a time. A held
 * lease fails at once, naming its holder and age. A lease past its duration (its holder died) is taken over.
 */
public final class DeployLock implements AutoCloseable {

  public static final String NAME = "datahub-deploy";

  private final KubernetesClient client;
  private final String namespace;
  private final String holder;

  private DeployLock(KubernetesClient client, String namespace, String holder) {
    this.client = client;
    this.namespace = namespace;
    this.holder = holder;
  }

  public static DeployLock acquire(KubernetesClient client, String namespace, String holder, Duration duration,
      Clock clock) {
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
    Lease existing = client.leases().inNamespace(namespace).withName(NAME).get();
    Lease lease = new LeaseBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
        .addToLabels("app.kubernetes.io/managed-by", "datahub-maven-plugin").endMetadata()
        .withNewSpec().withHolderIdentity(holder).withAcquireTime(now).withRenewTime(now)
        .withLeaseDurationSeconds((int) duration.toSeconds()).endSpec().build();
    try {
      if (existing == null) {
        client.leases().inNamespace(namespace).resource(lease).create();
      } else {
        ZonedDateTime acquired = existing.getSpec().getAcquireTime();
        Integer seconds = existing.getSpec().getLeaseDurationSeconds();
        boolean expired = acquired != null && seconds != null && acquired.plusSeconds(seconds).isBefore(now);
        if (!expired) {
          String age = acquired == null ? "unknown time" : human(Duration.between(acquired, now));
          throw new DataHubException("deploy lock Lease " + NAME + " in namespace " + namespace + " is held by '"
              + existing.getSpec().getHolderIdentity() + "' since " + (acquired == null ? "?" 
              : acquired.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)) + " (" + age + " ago) — wait for that run to "
              + "finish; if it died, delete the lease: kubectl delete lease " + NAME + " -n " + namespace);
        }
        lease.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.leases().inNamespace(namespace).resource(lease).update();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new DataHubException("deploy lock Lease " + NAME + " in namespace " + namespace + " was taken by another "
            + "run just now — retry when it has finished");
      }
      if (e.getCode() == 404) {
        throw new DataHubException("namespace " + namespace + " does not exist — create it (kubectl create namespace "
            + namespace + ") or fix <namespace>");
      }
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw new DataHubException("not allowed to manage Lease " + NAME + " in namespace " + namespace + " (HTTP "
            + e.getCode() + ") — grant the deploying identity create/update/delete on leases.coordination.k8s.io");
      }
      throw e;
    }
    return new DeployLock(client, namespace, holder);
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h" + ((s % 3600) / 60) + "m";
  }

  @Override
  public void close() {
    Lease current = client.leases().inNamespace(namespace).withName(NAME).get();
    if (current != null && holder.equals(current.getSpec().getHolderIdentity())) {
      client.leases().inNamespace(namespace).withName(NAME).delete();
    }
  }
}
