package dev.datahub.maven;

import dev.datahub.image.ContentMapping;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.SourceRevision;
import dev.datahub.python.PythonSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.maven.project.MavenProject;

/** The {@code <image>} block of the pom. Plain fields: Maven fills them; the mojo converts them to an ImageSpec. */
public class ImageConfig {

  /** Base image, e.g. {@code quay.io/jupyter/base-notebook@sha256:…}; {@code scratch} for none. */
  String from;

  /** Target repository (optionally {@code :tag}); unset: a tarball is written instead of a push. */
  String to;

  /** Extra tags besides the content-hash tag. */
  List<String> tags = new ArrayList<>();

  /** {@code Docker} (default) or {@code OCI}. */
  String format;

  /** Files and directories to add, one layer each, in this order (put what changes least first). */
  List<ContentConfig> content = new ArrayList<>();

  Map<String, String> environment = new LinkedHashMap<>();

  Map<String, String> labels = new LinkedHashMap<>();

  /** Default {@code 1000:100} (jovyan:users in the docker-stacks images). */
  String user;

  String workingDirectory;

  /** Replaces the base's entrypoint (and, as in a Dockerfile, its cmd). */
  List<String> entrypoint;

  List<String> cmd;

  /** Registry hosts ({@code host[:port]}) that may be reached over plain HTTP. */
  List<String> allowInsecureRegistries = new ArrayList<>();

  /** Python packages from a hashed lock file, installed as wheel layers (see docs/python-packages.md). */
  PythonConfig python;

  /** Adds {@code org.opencontainers.image.revision} = the git commit (changes the digest on every commit). */
  boolean labelRevision;

  /** One {@code <mapping>} of {@code <content>}. */
  public static class ContentConfig {
    /** File or directory, relative to the project. */
    String source;
    /** Absolute path in the image. */
    String target;
    /** Octal, e.g. 644; default keeps the source's executable bit. */
    String fileMode;
    /** Octal, default 755. */
    String directoryMode;
    /** {@code uid:gid}, default {@code 0:0}. */
    String owner;
  }

  /**
   * {@code -Ddatahub.image.*} values that replace or extend the block; nulls leave it as is. Their property names are
   * here once: build-image declares them as parameters, validate reads them as properties.
   */
  record Overrides(String from, String to, String tags, String format, String allowInsecureRegistries, boolean push,
      boolean force) {

    static final String FROM = "datahub.image.from";
    static final String TO = "datahub.image.to";
    static final String TAGS = "datahub.image.tags";
    static final String FORMAT = "datahub.image.format";
    static final String ALLOW_INSECURE_REGISTRIES = "datahub.image.allowInsecureRegistries";

    /** The overrides of a goal that builds nothing (validate): push and force do not apply. */
    static Overrides fromProperties(Function<String, String> property) {
      return new Overrides(property.apply(FROM), property.apply(TO), property.apply(TAGS), property.apply(FORMAT),
          property.apply(ALLOW_INSECURE_REGISTRIES), true, false);
    }
  }

  /** True when the {@code <python>} block is in use. */
  boolean hasPython() {
    return python != null && python.isEnabled();
  }

  /** The {@code <python>} block as a core spec, staged under {@code outputDirectory/python}; null when not in use. */
  PythonSpec pythonSpec(Path projectDirectory, Path outputDirectory) {
    return hasPython() ? python.toSpec(projectDirectory, outputDirectory.resolve("python")) : null;
  }

  /** The core spec: the block, the overrides, and labels from the project (source URL, optionally the commit). */
  ImageSpec toSpec(Overrides o, MavenProject project, Path outputDirectory, Path cacheDirectory, String toolVersion) {
    Path projectDir = project.getBasedir().toPath();
    List<ContentMapping> mappings = content.stream()
        .map(c -> new ContentMapping(c.source == null ? null : Path.of(c.source), c.target, c.fileMode, c.directoryMode,
            c.owner))
        .toList();
    Map<String, String> allLabels = new LinkedHashMap<>();
    String source = project.getScm() != null && project.getScm().getUrl() != null ? project.getScm().getUrl()
        : project.getUrl();
    if (source != null) {
      allLabels.put("org.opencontainers.image.source", source);
    }
    if (labelRevision) {
      SourceRevision.of(projectDir).ifPresent(rev -> allLabels.put("org.opencontainers.image.revision", rev));
    }
    allLabels.putAll(labels);
    Set<String> insecure = new LinkedHashSet<>(allowInsecureRegistries);
    insecure.addAll(split(o.allowInsecureRegistries()));
    List<String> allTags = new ArrayList<>(tags);
    allTags.addAll(split(o.tags()));
    return new ImageSpec(o.from() != null ? o.from() : from, o.to() != null ? o.to() : to, allTags,
        o.format() != null ? o.format() : format, mappings, List.of(), environment, allLabels, user, workingDirectory,
        entrypoint, cmd, o.push(), o.force(), insecure, projectDir, outputDirectory, cacheDirectory, toolVersion);
  }

  private static List<String> split(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
