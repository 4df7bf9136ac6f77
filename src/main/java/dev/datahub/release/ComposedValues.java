package dev.datahub.release;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values Helm gets, in order: common files → environment files → secret files → the generated image file.
 *
 * @param orderedFiles every file in the order passed to Helm
 * @param values the merged values without the secret files (safe to show)
 * @param secretPaths dotted paths set by the secret files: shown only as {@code ****}
 * @param secretLeaves every string value in the secret files, for the redactor
 * @param secretValues the merged secret values: only ever fingerprinted with the namespace's key ({@link #secretHmac})
 * @param commonValuesDigest SHA-256 of the merged common values files
 * @param environmentValuesDigest SHA-256 of the merged values files of the environment
 * @param imageValuesDigest SHA-256 of the generated image values ({@code none} without an image)
 */
public record ComposedValues(
    List<Path> orderedFiles,
    Map<String, Object> values,
    Map<String, Object> valuesWithSecrets,
    Set<String> secretPaths,
    Set<String> secretLeaves,
    Map<String, Object> secretValues,
    String commonValuesDigest,
    String environmentValuesDigest,
    String imageValuesDigest) {

  public static final String NONE = "none";
  static final String SECRET_VALUES = "secret-values";

  /** The keyed fingerprint of the secret values ({@code none} without secret files): never a bare hash. */
  public String secretHmac(RecordKey key) {
    return secretValues.isEmpty() ? NONE : key.hmac(SECRET_VALUES, Values.canonical(secretValues));
  }

  @Override
  public String toString() {
    return "ComposedValues(" + orderedFiles + ", secret paths " + secretPaths + ")";
  }
}
