package dev.datahub.release;

import dev.datahub.DataHubException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the Helm chart comes from: a local chart directory, a chart repository (URL + name + version) or an
 * {@code oci://} reference (+ version).
 *
 * <p>{@link #digest()} identifies the chart content for the promotion gate ({@link ChartContent}).
 *
 * @param pinnedDigest the archive digest the pom pins ({@code <chart><digest>}), or null: a repository archive must
 *     match it, and an index entry without a digest is accepted only with it
 */
public record ChartSource(Kind kind, String location, String name, String version, String pinnedDigest) {

  public enum Kind { LOCAL, REPOSITORY, OCI }

  private static final Pattern CHART_NAME = Pattern.compile("(?m)^name:\\s*['\"]?([^'\"\\s]+)");
  private static final Pattern CHART_VERSION = Pattern.compile("(?m)^version:\\s*['\"]?([^'\"\\s]+)");

  public ChartSource {
    if (pinnedDigest != null && !dev.datahub.image.Digest.isValid(pinnedDigest)) {
      throw new DataHubException("<chart><digest> must be sha256:<64 lowercase hex> (got " + pinnedDigest + ") — "
          + "put the sha256sum of the chart archive there");
    }
  }

  public ChartSource(Kind kind, String location, String name, String version) {
    this(kind, location, name, version, null);
  }

  public static ChartSource local(Path directory) {
    Path chartYaml = directory.resolve("Chart.yaml");
    if (!Files.isRegularFile(chartYaml)) {
      throw new DataHubException("no Chart.yaml in " + directory + " — set <chart><directory> to a Helm chart directory");
    }
    try {
      String text = Files.readString(chartYaml, StandardCharsets.UTF_8);
      return new ChartSource(Kind.LOCAL, directory.toAbsolutePath().normalize().toString(),
          match(CHART_NAME, text, chartYaml), match(CHART_VERSION, text, chartYaml));
    } catch (IOException e) {
      throw new DataHubException("cannot read " + chartYaml + ": " + e.getMessage());
    }
  }

  public static ChartSource repository(String url, String name, String version) {
    if (url == null || name == null || version == null) {
      throw new DataHubException("a repository chart needs <repository>, <name> and <version> — pin the version so "
          + "staging and prod get the same chart");
    }
    return new ChartSource(Kind.REPOSITORY, url, name, version);
  }

  public static ChartSource oci(String reference, String version) {
    if (version == null) {
      throw new DataHubException("the OCI chart " + reference + " needs a <version> — pin it so staging and prod get "
          + "the same chart");
    }
    String name = reference.substring(reference.lastIndexOf('/') + 1);
    return new ChartSource(Kind.OCI, reference, name, version);
  }

  private static String match(Pattern pattern, String text, Path file) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new DataHubException(file + " has no " + pattern.pattern().replaceAll("[^a-z]", "") + " — fix the chart");
    }
    return m.group(1);
  }

  /** A repository chart pinned to an archive digest ({@code <chart><digest>}). */
  public ChartSource pinned(String digest) {
    return new ChartSource(kind, location, name, version, digest);
  }

  /** The chart's content digest: local files, or the downloaded and verified repository or OCI archive. */
  public String digest() {
    if (kind == Kind.LOCAL && !declaresDependencies(Path.of(location))) {
      return ChartContent.ofLocal(Path.of(location));
    }
    try (PreparedChart prepared = PreparedChart.of(this, ChartDependencies.DEFAULT_CACHE)) {
      return prepared.contentDigest();
    }
  }

  private static boolean declaresDependencies(Path directory) {
    return Values.read(directory.resolve("Chart.yaml")).get("dependencies") instanceof java.util.List<?> deps
        && !deps.isEmpty();
  }

  public String describe() {
    return name + "-" + version + (kind == Kind.LOCAL ? " (" + location + ")" : " from " + location);
  }
}
