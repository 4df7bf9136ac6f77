package dev.datahub.python;

import dev.datahub.image.BuiltImage;
import dev.datahub.image.ImageContents;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.RegistryCredential;
import dev.datahub.image.SingleUserImage;
import dev.datahub.log.StepLog;

/**
 * {@code build-image} as a whole: the Python layers (when a lock is configured), the image's contents — every Python
 * distribution its Python sees, the base by digest, a digest per content layer ({@link ImageContents}) — put into the
 * image as the label {@value ImageContents#LABEL}, the build itself ({@link SingleUserImage}), and {@code image.json}
 * with the contents, for the deploy's record and for diffs.
 */
public final class ImageWithPackages {

  private final RegistryCredential.Lookup credentials;
  private final StepLog log;

  public ImageWithPackages(RegistryCredential.Lookup credentials, StepLog log) {
    this.credentials = credentials;
    this.log = log;
  }

  /** @param python the Python packages to install; null: none (the base's are still listed) */
  public BuiltImage build(ImageSpec spec, PythonSpec python) {
    SingleUserImage image = new SingleUserImage(credentials, log);
    image.validate(spec); // offline: a bad configuration fails before the base image is read
    PythonImageLayers.Result layers = PythonImageLayers.layersAndPackages(spec, python, credentials, log);
    ImageSpec withLayers = spec.withExtraLayers(layers.layers());
    ImageContents contents = ImageContents.of(withLayers, layers.baseDigest(), layers.packages(), layers.installed());
    BuiltImage built = image
        .build(withLayers.withLabel(ImageContents.LABEL, contents.toLabel()))
        .withContents(contents);
    built.writeTo(spec.outputDirectory());
    log.info("Image contents: " + contents.packages().size() + " Python packages (" + contents.installed().size()
        + " installed by the build, the rest from the base), " + contents.mappings().size() + " content layers;"
        + " listed in image.json and in the image's label " + ImageContents.LABEL);
    return built;
  }
}
