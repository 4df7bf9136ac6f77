package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.MockCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy Lease against fabric8's CRUD mock, attacked the ways two CI runs and a killed run would. */
class DeployLockTest {

  static final String NS = "staging";
  static final Duration EXPIRY = Duration.ofSeconds(2);

  @TempDir Path tmp;
  MockCluster cluster;
  KubernetesClient client;
  final CapturingLog log = new CapturingLog();

  @BeforeEach
  void start() {
    cluster = new MockCluster(tmp);
    client = cluster.client();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  DeployLock acquire() {
    return DeployLock.acquire(client, NS, "deploy staging", EXPIRY, Clock.systemUTC(), log);
  }

  Lease lease() {
    return client.leases().inNamespace(NS).withName(DeployLock.NAME).get();
  }

  @Test
  void holdersAreUniquePerRunEvenForTheSameUserHostAndPurpose() {
    String a = DeployLock.newHolder("deploy staging");
    String b = DeployLock.newHolder("deploy staging");
    assertNotEquals(a, b);
    assertTrue(a.contains("(deploy staging)") && a.contains("@"), a);
  }

  @Test
  void firstRunsCloseNeverDeletesTheLeaseOfTheRunThatTookItOver() throws Exception {
    DeployLock first = acquire();
    first.abandon(); // the first run stalls: no more renewals
    Thread.sleep(EXPIRY.toMillis() + 700);
    DeployLock second = acquire();
    assertTrue(log.text().contains("taken over from '" + first.holder() + "'"), log.text());

    first.close(); // the stalled run wakes up and finishes
    Lease after = lease();
    assertNotNull(after, "the second run's lease survives the first run's close");
    assertEquals(second.holder(), after.getSpec().getHolderIdentity());
    assertThrows(DataHubException.class, this::acquire, "a third run is still refused");

    second.close();
    assertNull(lease(), "the holder's own close deletes it");
  }

  @Test
  void aThirdRunWhileTheSecondHoldsAndRenewsIsRefused() throws Exception {
    DeployLock second = acquire();
    Thread.sleep(EXPIRY.toMillis() * 3); // well past the expiry without renewal
    DataHubException e = assertThrows(DataHubException.class, this::acquire);
    assertTrue(e.getMessage().contains("held by '" + second.holder() + "'"), e.getMessage());
    assertEquals(second.holder(), lease().getSpec().getHolderIdentity());
    second.close();
    assertNull(lease());
  }

  @Test
  void renewalReallyExtendsTheRenewTime() throws Exception {
    try (DeployLock lock = acquire()) {
      ZonedDateTime acquired = lease().getSpec().getRenewTime();
      ZonedDateTime renewed = acquired;
      for (int i = 0; i < 100 && !renewed.isAfter(acquired); i++) {
        Thread.sleep(100);
        renewed = lease().getSpec().getRenewTime();
      }
      assertTrue(renewed.isAfter(acquired), "renew time moved from " + acquired + " to " + renewed);
      assertEquals(lock.holder(), lease().getSpec().getHolderIdentity());
      assertEquals(Integer.valueOf(2), lease().getSpec().getLeaseDurationSeconds());
    }
  }

  @Test
  void aKilledHoldersLeaseExpiresAndIsTakenOverWithTheOldHolderLogged() {
    String dead = "alice@ci-7 run 0badc0ffee00 (deploy staging)";
    client.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName(DeployLock.NAME)
        .endMetadata().withNewSpec().withHolderIdentity(dead)
        .withAcquireTime(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(10))
        .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(9)).withLeaseDurationSeconds(1).endSpec()
        .build()).create();
    try (DeployLock lock = acquire()) {
      assertEquals(lock.holder(), lease().getSpec().getHolderIdentity());
      assertEquals(Integer.valueOf(1), lease().getSpec().getLeaseTransitions());
      assertTrue(log.text().contains("taken over from '" + dead + "'"), log.text());
    }
  }

  @Test
  void aLeaseThatLooksExpiredButIsStillRenewedIsNotTakenOver() throws Exception {
    // A live holder whose clock is ten minutes behind ours: its renew times look stale, yet it keeps renewing.
    String behind = "bob@slow-clock run 123456789abc (deploy staging)";
    client.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName(DeployLock.NAME)
        .endMetadata().withNewSpec().withHolderIdentity(behind)
        .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(10)).withLeaseDurationSeconds(2).endSpec()
        .build()).create();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread renewer = new Thread(() -> {
      while (running.get()) {
        Lease l = lease();
        l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(10));
        client.leases().inNamespace(NS).resource(l).update();
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    renewer.start();
    try {
      DataHubException e = assertThrows(DataHubException.class, this::acquire);
      assertTrue(e.getMessage().contains("still renewed by '" + behind + "'"), e.getMessage());
      assertEquals(behind, lease().getSpec().getHolderIdentity());
    } finally {
      running.set(false);
      renewer.join();
    }
  }

  @Test
  void aRunThatLostItsLeaseNoticesIt() throws Exception {
    DeployLock first = acquire();
    Lease stolen = lease();
    stolen.getSpec().setHolderIdentity("someone else");
    client.leases().inNamespace(NS).resource(stolen).update();
    for (int i = 0; i < 50 && !log.text().contains("no longer this run's"); i++) {
      Thread.sleep(100);
    }
    DataHubException e = assertThrows(DataHubException.class, first::requireHeld);
    assertTrue(e.getMessage().contains("lost to 'someone else'"), e.getMessage());
    first.close();
    assertEquals("someone else", lease().getSpec().getHolderIdentity());
  }
}
