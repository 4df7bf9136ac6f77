package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.smoke.SmokeCheck;
import dev.datahub.smoke.SmokeSpec;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SmokeTestConfigurationTest {

  static final Function<String, String> NONE = name -> null;
  static final Path BASE = Path.of("src/test/resources");
  static final String IMAGE = "r.example.org/user@sha256:" + "e".repeat(64);

  static SmokeTestConfiguration pom() {
    SmokeTestConfiguration c = new SmokeTestConfiguration();
    c.hubUrl = "https://staging.hub.example.org";
    c.user = "smoke-bot";
    c.imports = List.of("numpy", " pandas ");
    c.checks = List.of(new SmokeTestConfiguration.CheckConfig("version", "import numpy; print(numpy.__version__)", "^2\\."),
        new SmokeTestConfiguration.CheckConfig(null, "x = 1", null));
    c.notebooks = List.of(new File("notebooks/ok.ipynb"));
    c.userOptions = Map.of("profile", "small");
    c.spawnTimeout = "PT3M";
    c.executionTimeout = "45";
    c.keepServerOnFailure = true;
    return c;
  }

  @Test
  void pomValuesBecomeTheSpec() {
    SmokeSpec spec = pom().toSpec(NONE, BASE, "staging", null, IMAGE);
    assertEquals(URI.create("https://staging.hub.example.org/"), spec.hubUrl());
    assertEquals("smoke-bot", spec.user());
    assertEquals(List.of("import numpy", "import pandas", "version", "x = 1"),
        spec.snippetChecks().stream().map(SmokeCheck::name).toList());
    assertEquals("ok.ipynb", spec.notebooks().get(0).name());
    assertEquals(2, spec.notebooks().get(0).codeCells().size());
    assertEquals(Map.of("profile", "small"), spec.userOptions());
    assertEquals(Duration.ofMinutes(3), spec.spawnTimeout());
    assertEquals(Duration.ofSeconds(45), spec.executionTimeout());
    assertEquals(SmokeSpec.DEFAULT_TOTAL_TIMEOUT, spec.totalTimeout());
    assertTrue(spec.keepServerOnFailure());
    assertEquals(IMAGE, spec.expectedImage(), "defaults to the built image");
    assertTrue(spec.requireImageMatch());
  }

  @Test
  void dashDPropertiesWinOverThePom() {
    Map<String, String> props = Map.of(
        "datahub.smoke.hubUrl", "http://127.0.0.1:8000/hub/",
        "datahub.smoke.imports", "json, os",
        "datahub.smoke.userOptions", "profile=gpu, image=x",
        "datahub.smoke.totalTimeout", "PT20M",
        "datahub.smoke.keepServerOnFailure", "false",
        "datahub.smoke.requireImageMatch", "false",
        "datahub.smoke.notebooks", "");
    SmokeSpec spec = pom().toSpec(props::get, BASE, "prod", null, null);
    assertEquals(URI.create("http://127.0.0.1:8000/"), spec.hubUrl(), "a trailing /hub/ is dropped");
    assertEquals(List.of("json", "os"), spec.imports());
    assertEquals(Map.of("profile", "gpu", "image", "x"), spec.userOptions());
    assertEquals(Duration.ofMinutes(20), spec.totalTimeout());
    assertFalse(spec.keepServerOnFailure());
    assertFalse(spec.requireImageMatch());
    assertEquals(List.of(), spec.notebooks());
    assertNull(spec.expectedImage());
    assertEquals("prod", spec.environment());
  }

  @Test
  void tokenSourceDefaultsToTheEnvironmentVariable() {
    SmokeTestConfiguration c = new SmokeTestConfiguration();
    assertEquals("DATAHUB_HUB_TOKEN", c.tokenEnv(NONE));
    assertNull(c.tokenServerId(NONE));
    assertEquals("hub-staging", c.tokenServerId(Map.of("datahub.smoke.tokenServerId", "hub-staging")::get));
  }

  @Test
  void badInputNamesTheFix() {
    SmokeTestConfiguration noUrl = new SmokeTestConfiguration();
    assertTrue(assertThrows(DataHubException.class, () -> noUrl.toSpec(NONE, BASE, "staging", null, null))
        .message(MavenWording.INSTANCE).contains("-Ddatahub.smoke.hubUrl="));
    assertTrue(assertThrows(DataHubException.class,
        () -> pom().toSpec(Map.of("datahub.smoke.userOptions", "gpu")::get, BASE, "staging", null, null)).getMessage()
        .contains("is not key=value"));
    assertTrue(assertThrows(DataHubException.class,
        () -> pom().toSpec(Map.of("datahub.smoke.spawnTimeout", "5 minutes")::get, BASE, "staging", null, null)).getMessage()
        .contains("use seconds (300) or ISO-8601 (PT5M, PT30S)"));
    assertTrue(assertThrows(DataHubException.class,
        () -> pom().toSpec(Map.of("datahub.smoke.keepServerOnFailure", "yes")::get, BASE, "staging", null, null)).getMessage()
        .contains("is not true or false"));
    assertTrue(assertThrows(DataHubException.class,
        () -> pom().toSpec(Map.of("datahub.smoke.notebooks", "notebooks/truncated.ipynb")::get, BASE, "staging", null, null))
        .getMessage().contains("is not valid JSON"));
    SmokeTestConfiguration badCheck = pom();
    badCheck.checks = List.of(new SmokeTestConfiguration.CheckConfig("c", "print(1)", "([unclosed"));
    assertTrue(assertThrows(DataHubException.class, () -> badCheck.toSpec(NONE, BASE, "staging", null, null)).getMessage()
        .startsWith("smoke-test check 'c': <expect> is not a valid regular expression"));
  }

  @Test
  void environmentHubUrlIsUsedWhenNoneIsConfigured() {
    SmokeTestConfiguration noUrl = new SmokeTestConfiguration();
    assertEquals("https://staging.hub.example.org/",
        noUrl.toSpec(NONE, BASE, "staging", "https://staging.hub.example.org", null).hubUrl().toString());
    assertEquals("https://other.example.org/", noUrl.toSpec(Map.of("datahub.smoke.hubUrl", "https://other.example.org")::get,
        BASE, "staging", "https://staging.hub.example.org", null).hubUrl().toString(), "-D wins over the environment");
  }

  @Test
  void plainHttpHubsNeedLoopbackOrAnExplicitListing() {
    SmokeTestConfiguration c = new SmokeTestConfiguration();
    String refused = assertThrows(DataHubException.class,
        () -> c.toSpec(NONE, BASE, "staging", "http://staging.hub.example.org", null)).getMessage();
    assertTrue(refused.contains("the API token would travel in clear"), refused);
    assertEquals("http://staging.hub.example.org/", c.toSpec(Map.of("datahub.smoke.allowInsecureHubs",
        "other.example.org, staging.hub.example.org")::get, BASE, "staging", "http://staging.hub.example.org", null)
        .hubUrl().toString());
    c.allowInsecureHubs = List.of("staging.hub.example.org");
    assertEquals("http://staging.hub.example.org/",
        c.toSpec(NONE, BASE, "staging", "http://staging.hub.example.org", null).hubUrl().toString());
  }
}
