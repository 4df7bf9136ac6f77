package dev.datahub.smoke;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to smoke-test and how long to wait, validated once. The API token is not part of it: it
 * travels separately so this record can be printed.
 *
 * @param environment recorded in the result, e.g. {@code staging}
 * @param hubUrl the hub's public URL (what users open), ending in {@code /}
 * @param user the test user; created if missing and removed afterwards
 * @param imports module names, each checked with {@code import x}
 * @param checks code snippets, each with an optional expected-output pattern
 * @param notebooks notebooks run cell by cell, stopping at the first error
 * @param userOptions the spawn's user options, e.g. {@code profile} for a z2jh profileList slug
 * @param spawnTimeout from the start request until the server is ready
 * @param executionTimeout for each check (and each notebook cell)
 * @param totalTimeout for the whole test before cleanup
 * @param cleanupTimeout for stopping the server and removing the user, always granted after the test
 * @param keepServerOnFailure leave the server and user running after a failure, for debugging
 * @param expectedImage {@code repo@sha256:…} the server must run, or null to skip the image check
 * @param requireImageMatch when an image is expected but the server does not say which it runs
 *     ({@code JUPYTER_IMAGE_SPEC} unset, e.g. not KubeSpawner): fail (true) or warn and skip (false)
 * @param allowInsecureHubs hosts whose hub may be reached over plain {@code http://} (the API token then travels in
 *     clear); loopback hosts are always allowed
 */
public record SmokeSpec(
    String environment,
    URI hubUrl,
    String user,
    List<String> imports,
    List<SmokeCheck> checks,
    List<Notebook> notebooks,
    Map<String, Object> userOptions,
    Duration spawnTimeout,
    Duration executionTimeout,
    Duration totalTimeout,
    Duration cleanupTimeout,
    boolean keepServerOnFailure,
    String expectedImage,
    boolean requireImageMatch,
    List<String> allowInsecureHubs) {

  public static final String DEFAULT_USER = "datahub-smoke-test";
  public static final Duration DEFAULT_SPAWN_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_EXECUTION_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_CLEANUP_TIMEOUT = Duration.ofMinutes(5);

  private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9._@-]*");

  public SmokeSpec {
    environment = environment == null || environment.isBlank() ? "staging" : environment;
    hubUrl = normalize(hubUrl);
    allowInsecureHubs = allowInsecureHubs == null ? List.of()
        : allowInsecureHubs.stream().map(h -> h.strip().toLowerCase(java.util.Locale.ROOT)).toList();
    requireTls(hubUrl, allowInsecureHubs);
    user = user == null || user.isBlank() ? DEFAULT_USER : user;
    if (!USER.matcher(user).matches()) {
      throw new DataHubException("smoke-test user '" + user
          + "' is not a valid JupyterHub user name — use lower case letters, digits and . _ @ -, e.g. " + DEFAULT_USER);
    }
    imports = List.copyOf(imports == null ? List.of() : imports);
    checks = List.copyOf(checks == null ? List.of() : checks);
    notebooks = List.copyOf(notebooks == null ? List.of() : notebooks);
    userOptions = userOptions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(userOptions));
    spawnTimeout = positive("spawnTimeout", spawnTimeout, DEFAULT_SPAWN_TIMEOUT);
    executionTimeout = positive("executionTimeout", executionTimeout, DEFAULT_EXECUTION_TIMEOUT);
    totalTimeout = positive("totalTimeout", totalTimeout, DEFAULT_TOTAL_TIMEOUT);
    cleanupTimeout = positive("cleanupTimeout", cleanupTimeout, DEFAULT_CLEANUP_TIMEOUT);
    if (expectedImage != null && expectedImage.isBlank()) {
      expectedImage = null;
    }
    if (expectedImage != null && dev.datahub.image.Digest.in(expectedImage) == null) {
      throw new DataHubException("smoke-test expectedImage '" + expectedImage
          + "' names no digest — use <repository>@sha256:<64 hex>, or leave it empty to use target/datahub/image.json");
    }
  }

  /** The spec with the defaults and nothing to run; callers add what they need with the with… methods. */
  public static SmokeSpec of(URI hubUrl) {
    return new SmokeSpec(null, hubUrl, null, null, null, null, null, null, null, null, null, false, null, true, null);
  }

  public SmokeSpec withUser(String u) {
    return new SmokeSpec(environment, hubUrl, u, imports, checks, notebooks, userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch, allowInsecureHubs);
  }

  public SmokeSpec withEnvironment(String env) {
    return new SmokeSpec(env, hubUrl, user, imports, checks, notebooks, userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch, allowInsecureHubs);
  }

  public SmokeSpec withImports(String... modules) {
    return new SmokeSpec(environment, hubUrl, user, List.of(modules), checks, notebooks, userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch, allowInsecureHubs);
  }

  public SmokeSpec withChecks(SmokeCheck... list) {
    return new SmokeSpec(environment, hubUrl, user, imports, List.of(list), notebooks, userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch, allowInsecureHubs);
  }

  public SmokeSpec withNotebooks(Notebook... list) {
    return new SmokeSpec(environment, hubUrl, user, imports, checks, List.of(list), userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch, allowInsecureHubs);
  }

  public SmokeSpec withUserOptions(Map<String, Object> options) {
    return new SmokeSpec(environment, hubUrl, user, imports, checks, notebooks, options, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch, allowInsecureHubs);
  }

  public SmokeSpec withTimeouts(Duration spawn, Duration execution, Duration total) {
    return new SmokeSpec(environment, hubUrl, user, imports, checks, notebooks, userOptions, spawn,
        execution, total, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch, allowInsecureHubs);
  }

  public SmokeSpec withKeepServerOnFailure(boolean keep) {
    return new SmokeSpec(environment, hubUrl, user, imports, checks, notebooks, userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keep, expectedImage, requireImageMatch, allowInsecureHubs);
  }

  public SmokeSpec withHubUrl(URI url) {
    return new SmokeSpec(environment, url, user, imports, checks, notebooks, userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch,
        allowInsecureHubs);
  }

  public SmokeSpec withExpectedImage(String image, boolean requireMatch) {
    return new SmokeSpec(environment, hubUrl, user, imports, checks, notebooks, userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, image, requireMatch, allowInsecureHubs);
  }

  public SmokeSpec withAllowInsecureHubs(String... hosts) {
    return new SmokeSpec(environment, hubUrl, user, imports, checks, notebooks, userOptions, spawnTimeout,
        executionTimeout, totalTimeout, cleanupTimeout, keepServerOnFailure, expectedImage, requireImageMatch,
        List.of(hosts));
  }

  /** Every check in run order: imports, then snippets. The image check and notebooks are run separately. */
  public List<SmokeCheck> snippetChecks() {
    List<SmokeCheck> all = new ArrayList<>();
    imports.forEach(m -> all.add(SmokeCheck.importOf(m)));
    all.addAll(checks);
    return all;
  }

  /**
   * A timeout from configuration: ISO-8601 ({@code PT5M}, {@code PT30S}) or a number of seconds ({@code 300}).
   * Null or blank gives null (the default applies).
   */
  public static Duration duration(String parameter, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      if (v.matches("\\d+(\\.\\d+)?")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      }
      return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new DataHubException("smoke-test " + parameter + " '" + value
          + "' is not a duration — use seconds (300) or ISO-8601 (PT5M, PT30S)");
    }
  }

  private static Duration positive(String name, Duration d, Duration fallback) {
    if (d == null) {
      return fallback;
    }
    if (d.isNegative() || d.isZero()) {
      throw new DataHubException("smoke-test " + name + " must be positive, got " + d + " — e.g. PT5M or 300");
    }
    return d;
  }

  /**
   * The API token goes in every request's header: over plain http it is readable on the way. Allowed for loopback
   * (a port-forward, a local test hub) and for hosts listed on purpose; anything else is refused before the hub is
   * contacted.
   */
  private static void requireTls(URI url, List<String> allowed) {
    if (!"http".equals(url.getScheme())) {
      return;
    }
    String host = url.getHost().toLowerCase(java.util.Locale.ROOT);
    if (isLoopback(host) || allowed.contains(host)) {
      return;
    }
    throw new DataHubException("hub URL " + url + " is plain http: the API token would travel in clear to " + host
        + " — use https://, or, for a hub without TLS on a network you trust, list the host in "
        + "{} ({})", Fix.element("smokeTest", "allowInsecureHubs"), Fix.property("datahub.smoke.allowInsecureHubs", host));
  }

  /** Loopback by name or literal address; names are not resolved (DNS could point anywhere). */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  private static URI normalize(URI url) {
    if (url == null) {
      throw new DataHubException("no hub URL for the smoke test — set {} of the environment, {} or {}", Fix.element("hubUrl"),
          Fix.element("smokeTest", "hubUrl"), Fix.property("datahub.smoke.hubUrl", "https://hub.example.org/"));
    }
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new DataHubException("hub URL '" + url + "' is not an http(s) URL — set datahub.smoke.hubUrl to e.g. https://hub.example.org/");
    }
    String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    if (path.endsWith("/hub/")) {
      path = path.substring(0, path.length() - "hub/".length());
    }
    try {
      return new URI(scheme, null, url.getHost(), url.getPort(), path, null, null);
    } catch (URISyntaxException e) {
      throw new DataHubException("hub URL '" + url + "' is invalid: " + e.getMessage());
    }
  }

  /** Parses a hub URL from configuration text. */
  public static URI hubUrl(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new DataHubException("hub URL '" + text + "' is invalid (" + e.getReason()
          + ") — set datahub.smoke.hubUrl to e.g. https://hub.example.org/");
    }
  }
}
