package dev.datahub.release;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.Digest;
import dev.datahub.image.ImageContents;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single-user image to deploy, always pinned by digest. Injected into the chart as {@code name} and a string
 * {@code tag} of the form {@code <tag>@sha256:…}: z2jh renders {@code name:tag}, so the pod spec gets
 * {@code repo:tag@sha256:…}, which the runtime pulls by digest. {@code contents}: what the image holds, when known
 * ({@link ImageContents}; not part of the reference).
 */
public record ImageRef(String repository, String tag, String digest,
    @JsonInclude(JsonInclude.Include.NON_NULL) ImageContents contents) {

  public ImageRef(String repository, String tag, String digest) {
    this(repository, tag, digest, null);
  }

  /** This image with what it holds (from image.json or a record), carried into the deploy's record. */
  public ImageRef withContents(ImageContents newContents) {
    return new ImageRef(repository, tag, digest, newContents);
  }

  /** Used when the reference names no tag: the runtime ignores the tag when a digest is present. */
  public static final String DEFAULT_TAG = "pinned";

  private static final Pattern REFERENCE =
      Pattern.compile("^(?<repo>[^@\\s]+?)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?@(?<digest>" + Digest.SYNTAX + ")$");

  public static ImageRef parse(String reference) {
    Matcher m = REFERENCE.matcher(reference == null ? "" : reference.trim());
    if (!m.matches()) {
      throw new DataHubException("image '" + reference + "' has no digest — deploy only what build-image pushed: "
          + "pass {} or run {}", Fix.property("datahub.image", "<repository>[:tag]@sha256:<64 hex>"),
          Fix.goal("build-image"));
    }
    return new ImageRef(m.group("repo"), m.group("tag") == null ? DEFAULT_TAG : m.group("tag"), m.group("digest"));
  }

  public static ImageRef of(BuiltImage built) {
    if (!built.pushed()) {
      throw new DataHubException("the image in image.json was not pushed (tarball only) — a cluster cannot pull it: "
          + "run {} with a registry", Fix.goal("build-image"));
    }
    String tag = built.hashTag() != null ? built.hashTag() : built.tags().isEmpty() ? DEFAULT_TAG : built.tags().get(0);
    return new ImageRef(built.repository(), tag, built.digest(), built.contents());
  }

  /** The string put in the chart's {@code tag} value. */
  public String tagValue() {
    return tag + "@" + digest;
  }

  /** {@code repository@sha256:…}. */
  public String reference() {
    return repository + "@" + digest;
  }

  /** {@code repository:tag@sha256:…}, what the pod spec gets. */
  public String fullReference() {
    return repository + ":" + tagValue();
  }
}
