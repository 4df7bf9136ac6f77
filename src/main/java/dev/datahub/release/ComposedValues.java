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
 * @param valuesHash SHA-256 of the merged non-secret values from the values files (without the generated image file:
 *     the image is compared by digest on its own)
 * @param secretValuesHash SHA-256 of the merged secret values ({@code none} when there are none)
 */
public record ComposedValues(
    List<Path> orderedFiles,
    Map<String, Object> values,
    Map<String, Object> valuesWithSecrets,
    Set<String> secretPaths,
    Set<String> secretLeaves,
    String valuesHash,
    String secretValuesHash) {}
