package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datahub.fixtures.LocalJupyterHub;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * One real JupyterHub per test class; after every test the hub's own API must show no test user
 * and no server left behind.
 */
abstract class RealHubTest {

  static LocalJupyterHub hub;

  @BeforeAll
  static void startHub() {
    hub = LocalJupyterHub.start();
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @AfterEach
  void nothingRemains() {
    assertEquals(List.of(), hub.usersWithServers(), "no server may remain");
    assertEquals(List.of(), hub.userNames(), "no user may remain");
  }

  static SmokeSpec spec() {
    return SmokeSpec.of(hub.url()).withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(120));
  }
}
