package dev.datahub.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.datahub.DataHubException;
import dev.datahub.image.ImageFiles.PlannedLayer;
import dev.datahub.image.ImageLayer.ImageFile;
import dev.datahub.log.StepLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The build's inputs: checked offline ({@link #validate}), then planned against the registries ({@link #plan}) into
 * the base digest and the hash of every input, whose first 16 hex digits are the content-hash tag.
 */
final class ImageInputs {

  private ImageInputs() {}

  /** What {@link #validate} checked without any network: parsed references and planned layers. */
  record Checked(Optional<ImageReference> base, Optional<ImageReference> target, List<PlannedLayer> layers) {}

  /**
   * Checks the spec offline: references, tags, format, content mappings (sources exist inside the
   * project, modes, owners, no two mappings writing one path). Nothing is contacted.
   */
  static Checked validate(ImageSpec spec) {
    Optional<ImageReference> base = SingleUserImage.SCRATCH.equals(spec.from()) ? Optional.empty()
        : Optional.of(parse(spec.from(), "from"));
    Optional<ImageReference> target = Optional.empty();
    if (spec.pushes()) {
      ImageReference to = parse(spec.to(), "to");
      if (to.getDigest().isPresent()) {
        throw new DataHubException("<to> '" + spec.to() + "' has a digest — give a repository (and optional tag); the digest is"
            + " computed by the build");
      }
      target = Optional.of(to);
    }
    for (String tag : spec.tags()) {
      if (!tag.matches("[\\w][\\w.-]{0,127}")) {
        throw new DataHubException("tag '" + tag + "' is not a valid image tag — use letters, digits, '_', '.', '-' (max 128)");
      }
    }
    if (!spec.format().equalsIgnoreCase("Docker") && !spec.format().equalsIgnoreCase("OCI")) {
      throw new DataHubException("image format '" + spec.format() + "' is unknown — use Docker or OCI");
    }
    return new Checked(base, target, ImageFiles.plan(spec.content(), spec.extraLayers(), spec.projectDirectory()));
  }

  /** Validates the spec, reaches every registry of the build once and computes the content-hash tag. */
  static ImagePlan plan(ImageSpec spec, Registries registries, StepLog log) {
    Checked checked = validate(spec);
    // Every registry the build touches is probed, a base pinned by digest too: one not listed must answer over
    // verified TLS here, before Jib runs.
    checked.base().ifPresent(b -> registries.get(b.getRegistry()));
    String baseDigest = checked.base().map(b -> resolveBaseDigest(b, registries, log)).orElse(SingleUserImage.SCRATCH);
    checked.target().ifPresent(t -> registries.get(t.getRegistry()));
    registries.jibInsecureMode(checked.base(), checked.target());
    // The base's directory attributes that content layers copy follow from the base digest, which is hashed:
    // the hash needs no scan of the base, so an unchanged rebuild stays one registry check.
    String inputHash = inputHash(spec, checked.layers(), baseDigest);
    return new ImagePlan(spec, checked.base(), checked.target(), checked.layers(), baseDigest, inputHash,
        "h" + inputHash.substring(0, 16));
  }

  static ImageReference parse(String reference, String field) {
    if (reference == null || reference.isBlank()) {
      throw new DataHubException("<" + field + "> of <image> is empty — set it, e.g. quay.io/jupyter/base-notebook:2024-10-07");
    }
    try {
      return ImageReference.parse(reference.trim());
    } catch (InvalidImageReferenceException e) {
      throw new DataHubException("<" + field + "> '" + reference + "' is not a valid image reference — write it as"
          + " registry/repository[:tag][@sha256:digest], e.g. quay.io/jupyter/base-notebook:2024-10-07");
    }
  }

  private static String resolveBaseDigest(ImageReference base, Registries registries, StepLog log) {
    if (base.getDigest().isPresent()) {
      return base.getDigest().get();
    }
    log.warn("Base image " + base + " is not pinned by digest: builds can change under you when the tag moves."
        + " Pin it as " + base.getRegistry() + "/" + base.getRepository() + "@sha256:… (the digest used is recorded in image.json)");
    RegistryApi registry = registries.get(base.getRegistry());
    try {
      Optional<String> digest = registry.manifestDigest(base.getRepository(), base.getQualifier());
      return digest.orElseThrow(() -> new DataHubException("base image " + base + " was not found in " + base.getRegistry()
          + " — check <from> (repository and tag)"));
    } catch (IOException e) {
      throw new DataHubException("cannot read base image " + base + ": " + e.getMessage()
          + " — check the registry address and your network");
    }
  }

  /** Hash of every input: base digest, layer contents and modes, image config, plugin version. */
  static String inputHash(ImageSpec spec, List<PlannedLayer> layers, String baseDigest) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      StringBuilder text = new StringBuilder();
      text.append("tool=").append(spec.toolVersion()).append('\n');
      text.append("base=").append(baseDigest).append('\n');
      text.append("format=").append(spec.format().toLowerCase(Locale.ROOT)).append('\n');
      text.append("user=").append(spec.user()).append('\n');
      text.append("workdir=").append(spec.workingDirectory()).append('\n');
      text.append("entrypoint=").append(spec.entrypoint()).append('\n');
      text.append("cmd=").append(spec.cmd()).append('\n');
      spec.environment().forEach((k, v) -> text.append("env:").append(k).append('=').append(v).append('\n'));
      spec.labels().forEach((k, v) -> text.append("label:").append(k).append('=').append(v).append('\n'));
      sha.update(text.toString().getBytes(StandardCharsets.UTF_8));
      for (PlannedLayer layer : layers) {
        sha.update(("layer:" + layer.name() + ":" + layer.owner() + "\n").getBytes(StandardCharsets.UTF_8));
        for (ImageFile file : layer.files()) {
          String content = file.sha256() != null ? file.sha256()
              : Files.isDirectory(file.source()) ? "dir" : fileSha256(file.source());
          sha.update((file.pathInImage() + " " + Integer.toOctalString(file.mode()) + " " + file.owner() + " "
              + content + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String fileSha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new DataHubException("cannot read " + file + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
