package dev.datahub.release;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.log.StepLog;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Lease {@code datahub-deploy} in the environment's namespace: one deploy, rollback or recovery at a time.
 *
 * <p>The holder is unique per run ({@code user@host run <random id> (deploy staging)}), so one run can never mistake
 * another's lease for its own. The lease has a short expiry that a daemon thread renews every third of it while the
 * run goes on; a held lease fails at once, naming its holder. A lease that is no longer renewed (its holder died) is
 * taken over — but only after this run has itself watched it stay unchanged for half its duration, so a holder whose
 * clock runs behind ours is not mistaken for a dead one — and the old holder is logged. {@link #close()} stops the
 * renewal and deletes the lease only while it still names this run, with the resourceVersion it read as a
 * precondition: a run that lost its lease never deletes the next run's.
 */
public final class DeployLock implements AutoCloseable {

  public static final String NAME = "datahub-deploy";

  /** Long enough to ride out an API server hiccup; short enough that a killed run blocks the next one briefly. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofSeconds(60);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KubernetesClient client;
  private final String namespace;
  private final String holder;
  private final Duration expiry;
  private final Clock clock;
  private final StepLog log;
  private final ScheduledExecutorService renewal;
  private String lostTo;
  private boolean closed;

  private DeployLock(KubernetesClient client, String namespace, String holder, Duration expiry, Clock clock,
      StepLog log) {
    this.client = client;
    this.namespace = namespace;
    this.holder = holder;
    this.expiry = expiry;
    this.clock = clock;
    this.log = log;
    this.renewal = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "datahub-deploy-lock-renewal " + namespace);
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, expiry.toMillis() / 3);
    renewal.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** A holder identity no other run has: who and where, a random run id, and what the run does (for humans). */
  public static String newHolder(String purpose) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    byte[] id = new byte[6];
    RANDOM.nextBytes(id);
    return System.getProperty("user.name") + "@" + host + " run " + HexFormat.of().formatHex(id) + " (" + purpose + ")";
  }

  /**
   * Takes the lease for {@code purpose} (e.g. {@code deploy staging}) or fails naming its holder.
   *
   * @param expiry how long the lease lives without renewal; renewed every third of it
   */
  public static DeployLock acquire(KubernetesClient client, String namespace, String purpose, Duration expiry,
      Clock clock, StepLog log) {
    if (expiry.toSeconds() < 1) {
      throw new IllegalArgumentException("lease expiry must be at least 1 s: " + expiry);
    }
    String holder = newHolder(purpose);
    NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases = client.leases().inNamespace(namespace);
    try {
      Lease existing = leases.withName(NAME).get();
      ZonedDateTime now = now(clock);
      Lease mine = new LeaseBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/managed-by", "datahub-maven-plugin").endMetadata()
          .withNewSpec().withHolderIdentity(holder).withAcquireTime(now).withRenewTime(now)
          .withLeaseDurationSeconds((int) expiry.toSeconds()).withLeaseTransitions(0).endSpec().build();
      if (existing == null) {
        leases.resource(mine).create();
      } else {
        requireExpired(existing, namespace, now);
        // Its timestamps come from the holder's clock: watch it ourselves before taking it over.
        Lease observed = watchUnchanged(leases, existing, namespace);
        String old = holderOf(observed);
        mine.getMetadata().setResourceVersion(observed.getMetadata().getResourceVersion());
        Integer transitions = observed.getSpec() == null ? null : observed.getSpec().getLeaseTransitions();
        mine.getSpec().setLeaseTransitions(transitions == null ? 1 : transitions + 1);
        mine.getSpec().setAcquireTime(now(clock));
        mine.getSpec().setRenewTime(now(clock));
        leases.resource(mine).update(); // precondition: the resourceVersion we watched
        log.warn("deploy lock Lease " + NAME + " in namespace " + namespace + " had expired (not renewed since "
            + describeRenewal(observed) + "); taken over from '" + old + "' — that run died or lost its connection");
      }
      log.debug("deploy lock Lease " + NAME + " in " + namespace + " held by '" + holder + "'");
      return new DeployLock(client, namespace, holder, expiry, clock, log);
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
            + e.getCode() + ") — grant the deploying identity get/create/update/delete on leases.coordination.k8s.io");
      }
      throw e;
    }
  }

  private static void requireExpired(Lease existing, String namespace, ZonedDateTime now) {
    ZonedDateTime until = expiresAt(existing);
    if (until != null && until.isBefore(now)) {
      return;
    }
    ZonedDateTime acquired = existing.getSpec() == null ? null : existing.getSpec().getAcquireTime();
    String since = acquired == null ? "?" : acquired.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " ("
        + human(Duration.between(acquired, now)) + " ago)";
    throw new DataHubException("deploy lock Lease " + NAME + " in namespace " + namespace + " is held by '"
        + holderOf(existing) + "' since " + since + " — wait for that run to finish; a run that died releases it "
        + "within " + (existing.getSpec() == null ? "?" : existing.getSpec().getLeaseDurationSeconds() + " s")
        + " (or delete it: kubectl delete lease " + NAME + " -n " + namespace + ")");
  }

  /**
   * Re-reads the lease after half its duration: a live holder renews every third of it, so an unchanged
   * resourceVersion means nobody renews it, whatever the clocks say.
   */
  private static Lease watchUnchanged(NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases, Lease seen,
      String namespace) {
    Integer seconds = seen.getSpec() == null ? null : seen.getSpec().getLeaseDurationSeconds();
    // Capped: a lease of an older plugin version (15 min, never renewed) must not hold the next run for minutes.
    long waitMillis = Math.min(30_000, Math.max(500, (seconds == null ? 0 : seconds) * 1000L / 2));
    try {
      Thread.sleep(waitMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataHubException("interrupted while waiting to take over the deploy lock in " + namespace);
    }
    Lease again = leases.withName(NAME).get();
    if (again == null) {
      throw new DataHubException("deploy lock Lease " + NAME + " in namespace " + namespace + " was released while "
          + "this run waited to take it over — retry");
    }
    if (!Objects.equals(again.getMetadata().getResourceVersion(), seen.getMetadata().getResourceVersion())) {
      throw new DataHubException("deploy lock Lease " + NAME + " in namespace " + namespace + " looked expired but is "
          + "still renewed by '" + holderOf(again) + "' (its clock and this host's differ) — wait for that run to "
          + "finish, and check the clocks");
    }
    return again;
  }

  private static ZonedDateTime expiresAt(Lease lease) {
    if (lease.getSpec() == null || lease.getSpec().getLeaseDurationSeconds() == null) {
      return null;
    }
    ZonedDateTime last = lease.getSpec().getRenewTime() != null ? lease.getSpec().getRenewTime()
        : lease.getSpec().getAcquireTime();
    return last == null ? null : last.plusSeconds(lease.getSpec().getLeaseDurationSeconds());
  }

  private static String describeRenewal(Lease lease) {
    ZonedDateTime last = lease.getSpec().getRenewTime() != null ? lease.getSpec().getRenewTime()
        : lease.getSpec().getAcquireTime();
    return last == null ? "?" : last.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static String holderOf(Lease lease) {
    return lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static ZonedDateTime now(Clock clock) {
    return ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h" + ((s % 3600) / 60) + "m";
  }

  /** This run's holder identity, as written in the lease. */
  public String holder() {
    return holder;
  }

  /** Fails when another run has taken the lease over (this run stalled past the expiry); call before recording. */
  public synchronized void requireHeld() {
    if (lostTo != null) {
      throw new DataHubException("deploy lock Lease " + NAME + " in namespace " + namespace + " was lost to '" + lostTo
          + "' while this run was working (it was not renewed within " + expiry.toSeconds() + " s) — check what the "
          + "other run deployed ({}) before retrying", Fix.command("status"));
    }
  }

  /** Extends the lease by writing a new renew time while it still names this run. */
  synchronized void renew() {
    if (closed || lostTo != null) {
      return;
    }
    try {
      Lease current = client.leases().inNamespace(namespace).withName(NAME).get();
      if (current == null || !holder.equals(holderOf(current))) {
        lostTo = current == null ? "nobody (deleted)" : holderOf(current);
        log.warn("deploy lock Lease " + NAME + " in namespace " + namespace + " is no longer this run's (now held by "
            + lostTo + ") — another run may be deploying");
        return;
      }
      // Conditional on the resourceVersion just read (and found to name this run): a takeover in between fails it.
      current.getSpec().setRenewTime(now(clock));
      client.leases().inNamespace(namespace).resource(current).update();
    } catch (KubernetesClientException e) {
      // Transient (the next renewal retries); only a takeover after the full expiry loses the lease.
      log.warn("could not renew deploy lock Lease " + NAME + " in namespace " + namespace + " (HTTP " + e.getCode()
          + "); retrying");
    }
  }

  /** Stops renewing without releasing: what a killed run leaves behind. For tests. */
  void abandon() {
    renewal.shutdownNow();
  }

  @Override
  public void close() {
    renewal.shutdownNow();
    try {
      renewal.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      Lease current = client.leases().inNamespace(namespace).withName(NAME).get();
      if (current == null || !holder.equals(holderOf(current))) {
        if (current != null) {
          log.warn("deploy lock Lease " + NAME + " in namespace " + namespace + " is now held by '" + holderOf(current)
              + "'; left in place");
        }
        return;
      }
      try {
        client.leases().inNamespace(namespace).withName(NAME)
            .lockResourceVersion(current.getMetadata().getResourceVersion()).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
        // 409: taken over between our read and the delete; that lease is the other run's now.
      }
    }
  }
}
