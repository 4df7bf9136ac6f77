package dev.datahub.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.datahub.image.ImageContents;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one deploy puts on an environment: the image digest, the chart's content digest, a digest per values layer and a
 * keyed fingerprint of the secret values. The promotion gate compares bundles, never tag strings.
 *
 * @param chartDigest {@code sha256:} of the chart's content: every file of a local chart (symbolic links followed), or
 *     the archive downloaded from a repository and verified ({@link ChartContent})
 * @param commonValuesDigest {@code sha256:} of the merged common values files (the plugin's {@code <values>})
 * @param environmentValuesDigest {@code sha256:} of the merged values files of the environment
 * @param imageValuesDigest {@code sha256:} of the generated image values ({@code none} without an image)
 * @param secretValuesHmac HMAC (the namespace's {@link RecordKey}) of the merged secret values, {@code none} without
 *     secret files; never a bare hash: that would let anyone who reads a record test guesses offline
 * @param secretPaths the dotted paths the secret files set (never their values): {@code plan} masks them later even when
 *     they are no longer in the secret files
 * @param contents what the image holds — base digest, Python packages, content layers ({@link ImageContents}), copied
 *     from {@code image.json} at deploy and from staging's record at promote; null in records written before the plugin
 *     recorded it (left out of the JSON then, so those records' signatures still verify)
 */
public record ReleaseBundle(
    String image,
    String imageDigest,
    String chartName,
    String chartVersion,
    String chartDigest,
    String commonValuesDigest,
    String environmentValuesDigest,
    String imageValuesDigest,
    String secretValuesHmac,
    List<String> secretPaths,
    String sourceCommit,
    @JsonInclude(JsonInclude.Include.NON_NULL) ImageContents contents) {

  public ReleaseBundle {
    secretPaths = secretPaths == null ? List.of() : List.copyOf(secretPaths);
  }

  public ReleaseBundle(String image, String imageDigest, String chartName, String chartVersion, String chartDigest,
      String commonValuesDigest, String environmentValuesDigest, String imageValuesDigest, String secretValuesHmac,
      List<String> secretPaths, String sourceCommit) {
    this(image, imageDigest, chartName, chartVersion, chartDigest, commonValuesDigest, environmentValuesDigest,
        imageValuesDigest, secretValuesHmac, secretPaths, sourceCommit, null);
  }

  public ReleaseBundle withContents(ImageContents newContents) {
    return new ReleaseBundle(image, imageDigest, chartName, chartVersion, chartDigest, commonValuesDigest,
        environmentValuesDigest, imageValuesDigest, secretValuesHmac, secretPaths, sourceCommit, newContents);
  }

  public String chart() {
    return chartName + "-" + chartVersion;
  }

  /**
   * What of this bundle staging did not test: the parts that are not the environment's own — image digest, chart
   * (name, version, content) and the common values. The environment's own values and secrets are not compared (prod has
   * its own by design); they are shown in the plan and recorded.
   */
  public List<String> untestedAgainst(ReleaseBundle tested) {
    List<String> untested = new ArrayList<>();
    if (!Objects.equals(imageDigest, tested.imageDigest())) {
      untested.add("image " + imageDigest + " is not what staging tested (" + tested.imageDigest() + ")");
    }
    if (!Objects.equals(chartName, tested.chartName()) || !Objects.equals(chartVersion, tested.chartVersion())) {
      untested.add("chart " + chart() + " is not what staging tested (" + tested.chart() + ")");
    } else if (!Objects.equals(chartDigest, tested.chartDigest())) {
      untested.add("chart " + chart() + " has other content (" + shortHash(chartDigest) + ") than the one staging "
          + "tested (" + shortHash(tested.chartDigest()) + ") — same version, changed files or a republished archive");
    }
    if (!Objects.equals(commonValuesDigest, tested.commonValuesDigest())) {
      untested.add("the common values changed since staging's test (" + shortHash(tested.commonValuesDigest()) + " -> "
          + shortHash(commonValuesDigest) + ") — deploy and smoke-test staging with them first");
    }
    return untested;
  }

  static String shortHash(String hash) {
    if (hash == null) {
      return "none";
    }
    int colon = hash.indexOf(':');
    String hex = colon >= 0 ? hash.substring(colon + 1) : hash;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
