package dev.datahub.release;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import dev.datahub.image.RegistryApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dependencies a wrapper chart declares in Chart.yaml (DataHub's {@code hub/} chart depends on
 * {@code jupyterhub}), put into its {@code charts/} like {@code helm dependency build}: a dependency already in
 * {@code charts/} (directory or archive) is used as is, with no network; one from a chart repository is fetched like
 * {@link ChartRepository} does (index.yaml, archive verified against the index's digest); one from an OCI registry
 * by its manifest and the chart layer's digest; {@code file://} ones are copied. Verified archives are kept in a cache
 * keyed by repository, name and version (published chart versions are immutable).
 */
final class ChartDependencies {

  /** Where verified chart archives are kept between builds. */
  static final Path DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".cache", "datahub", "charts");

  private static final String HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  private static final Pattern EXACT_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.+-]*)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path cache;

  ChartDependencies(Path cache) {
    this.cache = cache;
  }

  /** Fills {@code chart}'s charts/ with its declared dependencies; returns those it had to fetch or copy. */
  List<String> resolve(Path chart) throws IOException {
    Map<String, Object> meta = Values.read(chart.resolve("Chart.yaml"));
    if (!(meta.get("dependencies") instanceof List<?> deps) || deps.isEmpty()) {
      return List.of();
    }
    Map<String, String> locked = lockedVersions(chart);
    Path charts = Files.createDirectories(chart.resolve("charts"));
    List<String> fetched = new ArrayList<>();
    for (Object d : deps) {
      if (!(d instanceof Map<?, ?> dep) || dep.get("name") == null) {
        throw new DataHubException("Chart.yaml of chart " + chart.getFileName() + " has a dependency without a name"
            + " — fix its dependencies");
      }
      String name = String.valueOf(dep.get("name"));
      String version = locked.getOrDefault(name, dep.get("version") == null ? null : String.valueOf(dep.get("version")));
      String repository = dep.get("repository") == null ? "" : String.valueOf(dep.get("repository")).strip();
      if (present(charts, name, version)) {
        continue;
      }
      String where = chart.getFileName() + "'s dependency " + name + " " + version;
      if (repository.isEmpty()) {
        throw new DataHubException(where + " has no repository and is not in charts/ — add it to charts/ "
            + "(helm dependency build) or set its repository");
      }
      if (repository.startsWith("file://")) {
        Path source = chart.resolve(repository.substring("file://".length())).normalize();
        if (!Files.isRegularFile(source.resolve("Chart.yaml"))) {
          throw new DataHubException(where + ": " + repository + " is not a chart directory — fix its repository");
        }
        PreparedChart.copyTree(source, charts.resolve(name));
        fetched.add(name + " " + version + " from " + repository);
        continue;
      }
      if (version == null || !EXACT_VERSION.matcher(version).matches()) {
        throw new DataHubException(where + " is not an exact version and there is no Chart.lock — pin it (e.g. "
            + "version: 4.1.0) so staging and prod get the same chart");
      }
      Path archive;
      if (repository.startsWith("oci://")) {
        archive = ociArchive(repository.replaceAll("/+$", "") + "/" + name, version, cache);
      } else if (repository.startsWith("https://") || repository.startsWith("http://")) {
        archive = repositoryArchive(repository, name, version, cache);
      } else {
        throw new DataHubException(where + ": repository '" + repository + "' is a helm repo alias, which this "
            + "plugin cannot resolve — use the repository's URL (e.g. https://hub.jupyter.org/helm-chart/)");
      }
      Files.copy(archive, charts.resolve(name + "-" + version + ".tgz"), StandardCopyOption.REPLACE_EXISTING);
      fetched.add(name + " " + version + " from " + repository);
    }
    return fetched;
  }

  /** A repository chart's archive, from the cache or fetched and verified against the index's digest. */
  static Path repositoryArchive(String url, String name, String version, Path cache) {
    Path cached = cached(cache, url, name, version);
    if (Files.isRegularFile(cached)) {
      return cached;
    }
    try {
      Files.createDirectories(cached.getParent());
      Path fetched = ChartRepository.fetch(ChartSource.repository(url, name, version), cached.getParent());
      Files.move(fetched, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return cached;
    } catch (IOException e) {
      throw new DataHubException("cannot cache chart " + name + " " + version + " under " + cache + ": "
          + e.getMessage() + " — check that directory");
    }
  }

  /**
   * An OCI chart's archive ({@code oci://host/path/name} + version), from the cache or pulled by its manifest, the
   * chart layer verified against its digest. Plain HTTP only for a registry on loopback.
   */
  static Path ociArchive(String reference, String version, Path cache) {
    Path cached = cached(cache, reference, reference.substring(reference.lastIndexOf('/') + 1), version);
    if (Files.isRegularFile(cached)) {
      return cached;
    }
    String rest = reference.substring("oci://".length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new DataHubException("OCI chart reference " + reference + " has no repository path — use "
          + "oci://registry/path/chart");
    }
    String host = rest.substring(0, slash);
    String repository = rest.substring(slash + 1);
    boolean loopback = host.startsWith("127.0.0.1") || host.startsWith("localhost") || host.startsWith("[::1]");
    try (RegistryApi registry = RegistryApi.connect(host, loopback ? Set.of(host) : Set.of(), Optional.empty(),
        Duration.ofSeconds(60))) {
      RegistryApi.Manifest manifest = registry.manifest(repository, version).orElseThrow(() -> new DataHubException(
          "OCI chart " + reference + ":" + version + " does not exist — check <oci> and <version>"));
      String digest = null;
      for (JsonNode layer : JSON.readTree(manifest.body()).path("layers")) {
        if (HELM_CHART_LAYER.equals(layer.path("mediaType").asText())) {
          digest = layer.path("digest").asText();
        }
      }
      if (digest == null || !digest.startsWith("sha256:")) {
        throw new DataHubException(reference + ":" + version + " is not a Helm chart (no " + HELM_CHART_LAYER
            + " layer) — check <oci>");
      }
      byte[] bytes;
      try (InputStream in = registry.blob(repository, digest)) {
        bytes = in.readAllBytes();
      }
      String actual = "sha256:" + HexFormat.of().formatHex(sha256(bytes));
      if (!actual.equals(digest)) {
        throw new DataHubException("OCI chart " + reference + ":" + version + " does not match its manifest's digest ("
            + digest + ", got " + actual + ") — retry, or check the registry");
      }
      Files.createDirectories(cached.getParent());
      Path temp = Files.createTempFile(cached.getParent(), ".fetch-", ".tgz");
      Files.write(temp, bytes);
      Files.move(temp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return cached;
    } catch (IOException e) {
      throw new DataHubException("cannot fetch OCI chart " + reference + ":" + version + ": " + e.getMessage()
          + " — check <oci>, <version> and the registry");
    }
  }

  private static Path cached(Path cache, String location, String name, String version) {
    String key = Hashing.sha256(URI.create(location).normalize().toString()).substring(7, 23);
    return cache.resolve(key).resolve(name + "-" + version + ".tgz");
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean present(Path charts, String name, String version) throws IOException {
    try (Stream<Path> list = Files.list(charts)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        String file = p.getFileName().toString();
        if (file.equals(name + "-" + version + ".tgz")
            || (version != null && !EXACT_VERSION.matcher(version).matches() && file.startsWith(name + "-")
                && file.endsWith(".tgz"))) {
          return true;
        }
        if (Files.isRegularFile(p.resolve("Chart.yaml")) && name.equals(String.valueOf(Values.read(
            p.resolve("Chart.yaml")).get("name")))) {
          return true;
        }
      }
    }
    return false;
  }

  private static Map<String, String> lockedVersions(Path chart) {
    Path lock = chart.resolve("Chart.lock");
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(lock)) {
      return out;
    }
    try {
      Map<String, Object> parsed = Values.YAML.readValue(lock.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
      if (parsed != null && parsed.get("dependencies") instanceof List<?> deps) {
        for (Object d : deps) {
          if (d instanceof Map<?, ?> m && m.get("name") != null && m.get("version") != null) {
            out.put(String.valueOf(m.get("name")), String.valueOf(m.get("version")));
          }
        }
      }
    } catch (IOException e) {
      throw new DataHubException("Chart.lock of chart " + chart.getFileName() + " is not valid YAML — run helm "
          + "dependency update, or delete it");
    }
    return out;
  }
}
