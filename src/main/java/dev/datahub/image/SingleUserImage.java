package dev.datahub.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
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
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Builds the single-user image with Jib: plan (validate, resolve the base digest, hash every
 * input), skip when the content-hash tag already exists, otherwise build and push (or write a
 * tarball), then record the result in {@code image.json}.
 */
public final class SingleUserImage {

  public static final String SCRATCH = "scratch";
  public static final String LOCAL_REPOSITORY = "datahub/singleuser";
  static final Instant FIXED_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;
  private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(20);

  private final RegistryCredential.Lookup credentials;
  private final StepLog log;

  public SingleUserImage(RegistryCredential.Lookup credentials, StepLog log) {
    this.credentials = credentials;
    this.log = log;
  }

  /** What the build will do, computed before anything is pushed. */
  public record Plan(
      ImageSpec spec,
      Optional<ImageReference> base,
      Optional<ImageReference> target,
      List<PlannedLayer> layers,
      String baseDigest,
      String inputHash,
      String hashTag) {}

  public BuiltImage build(ImageSpec spec) {
    try {
      Plan plan = planWithRegistries(spec);
      if (plan.target().isPresent() && !spec.force()) {
        Optional<BuiltImage> existing = reuseExisting(plan);
        if (existing.isPresent()) {
          return record(existing.get(), spec);
        }
      }
      return record(containerize(plan), spec);
    } finally {
      closeRegistries();
    }
  }

  /** What {@link #validate} checked without any network: parsed references and planned layers. */
  public record Checked(Optional<ImageReference> base, Optional<ImageReference> target, List<PlannedLayer> layers) {}

  /**
   * Checks the spec offline: references, tags, format, content mappings (sources exist inside the
   * project, modes, owners, no two mappings writing one path). Nothing is contacted.
   */
  public Checked validate(ImageSpec spec) {
    Optional<ImageReference> base = SCRATCH.equals(spec.from()) ? Optional.empty() : Optional.of(parse(spec.from(), "from"));
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

  /** Validates the spec, reaches the registries once and computes the content-hash tag. */
  public Plan plan(ImageSpec spec) {
    try {
      return planWithRegistries(spec);
    } finally {
      closeRegistries();
    }
  }

  /** Stops the registry clients (their selector threads would delay the JVM's exit by ~0.3 s). */
  private void closeRegistries() {
    registries.values().forEach(RegistryApi::close);
    registries.clear();
  }

  private Plan planWithRegistries(ImageSpec spec) {
    insecureHosts = spec.allowInsecureRegistries();
    Checked checked = validate(spec);
    // Every registry the build touches is probed, a base pinned by digest too: one not listed must answer over
    // verified TLS here, before Jib runs.
    checked.base().ifPresent(b -> registry(b.getRegistry()));
    String baseDigest = checked.base().map(this::resolveBaseDigest).orElse(SCRATCH);
    checked.target().ifPresent(t -> registry(t.getRegistry()));
    jibInsecureMode(checked.base(), checked.target(), spec.allowInsecureRegistries());
    // The base's directory attributes that content layers copy follow from the base digest, which is hashed:
    // the hash needs no scan of the base, so an unchanged rebuild stays one registry check.
    String inputHash = inputHash(spec, checked.layers(), baseDigest);
    return new Plan(spec, checked.base(), checked.target(), checked.layers(), baseDigest, inputHash,
        "h" + inputHash.substring(0, 16));
  }

  private ImageReference parse(String reference, String field) {
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

  private final Map<String, RegistryApi> registries = new java.util.HashMap<>();

  private RegistryApi registry(String host) {
    return registries.computeIfAbsent(host, h -> RegistryApi.connect(h, insecureHosts, credentials.forRegistry(h),
        REGISTRY_TIMEOUT));
  }

  private Set<String> insecureHosts = Set.of();

  private String resolveBaseDigest(ImageReference base) {
    if (base.getDigest().isPresent()) {
      return base.getDigest().get();
    }
    log.warn("Base image " + base + " is not pinned by digest: builds can change under you when the tag moves."
        + " Pin it as " + base.getRegistry() + "/" + base.getRepository() + "@sha256:… (the digest used is recorded in image.json)");
    RegistryApi registry = registry(base.getRegistry());
    try {
      Optional<String> digest = registry.manifestDigest(base.getRepository(), base.getQualifier());
      return digest.orElseThrow(() -> new DataHubException("base image " + base + " was not found in " + base.getRegistry()
          + " — check <from> (repository and tag)"));
    } catch (IOException e) {
      throw new DataHubException("cannot read base image " + base + ": " + e.getMessage()
          + " — check the registry address and your network");
    }
  }

  /** The layers with the base image's directories read, so content layers keep the base's owner and mode of their ancestors. */
  private List<PlannedLayer> layersOnBase(Plan plan) {
    ImageSpec spec = plan.spec();
    if (plan.base().isEmpty() || spec.content().isEmpty()) {
      return plan.layers();
    }
    ImageReference base = plan.base().get();
    String pinned = ImageReference.of(base.getRegistry(), base.getRepository(), null, plan.baseDigest()).toString();
    Map<String, BaseImageLayers.Directory> directories;
    try (BaseImageLayers layers = BaseImageLayers.open(pinned, spec.allowInsecureRegistries(), credentials,
        spec.cacheDirectory())) {
      directories = layers.directories();
    }
    return ImageFiles.plan(spec.content(), spec.extraLayers(), spec.projectDirectory(), directories);
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
          boolean dir = Files.isDirectory(file.source());
          sha.update((file.pathInImage() + " " + Integer.toOctalString(file.mode()) + " " + file.owner() + " "
              + (dir ? "dir" : fileSha256(file.source())) + "\n").getBytes(StandardCharsets.UTF_8));
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

  private Optional<BuiltImage> reuseExisting(Plan plan) {
    ImageReference target = plan.target().orElseThrow();
    RegistryApi registry = registry(target.getRegistry());
    try {
      Optional<String> digest = registry.manifestDigest(target.getRepository(), plan.hashTag());
      if (digest.isEmpty()) {
        return Optional.empty();
      }
      log.info("Image " + repository(target) + ":" + plan.hashTag() + " already exists (inputs unchanged): skipping build and"
          + " push; use -Ddatahub.image.force=true to rebuild");
      List<String> tags = allTags(plan, target);
      RegistryApi.Manifest manifest = null;
      for (String tag : tags.subList(1, tags.size())) {
        if (!registry.manifestDigest(target.getRepository(), tag).equals(digest)) {
          if (manifest == null) {
            manifest = registry.manifest(target.getRepository(), plan.hashTag()).orElseThrow();
          }
          registry.putManifest(target.getRepository(), tag, manifest);
          log.info("Tagged " + repository(target) + ":" + tag + " -> " + digest.get());
        }
      }
      return Optional.of(new BuiltImage(repository(target), digest.get(), null, tags, plan.hashTag(),
          plan.spec().from(), plan.baseDigest(), plan.inputHash(), true, null, true));
    } catch (IOException e) {
      throw new DataHubException("cannot check " + repository(target) + ":" + plan.hashTag() + ": " + e.getMessage()
          + " — check the registry address and your network");
    }
  }

  private static List<String> allTags(Plan plan, ImageReference target) {
    Set<String> tags = new LinkedHashSet<>();
    tags.add(plan.hashTag());
    String to = plan.spec().to().trim();
    if (target.getTag().isPresent() && to.substring(to.lastIndexOf('/') + 1).contains(":")) {
      tags.add(target.getTag().get()); // a tag written in <to> explicitly, even 'latest'
    }
    tags.addAll(plan.spec().tags());
    return List.copyOf(tags);
  }

  private static String repository(ImageReference reference) {
    return reference.withQualifier("latest").toStringWithQualifier().replaceFirst(":latest$", "");
  }

  private BuiltImage containerize(Plan plan) {
    ImageSpec spec = plan.spec();
    try {
      JibContainerBuilder builder;
      if (plan.base().isPresent()) {
        ImageReference base = plan.base().get();
        ImageReference pinned = base.getDigest().isPresent() ? base
            : ImageReference.of(base.getRegistry(), base.getRepository(), base.getTag().orElse(null), plan.baseDigest());
        log.info("Pulling base image " + pinned);
        builder = Jib.from(withCredentials(RegistryImage.named(pinned), pinned));
      } else {
        builder = Jib.fromScratch();
      }
      builder.setFormat(spec.format().equalsIgnoreCase("OCI") ? ImageFormat.OCI : ImageFormat.Docker)
          .setCreationTime(Instant.EPOCH)
          .setUser(spec.user());
      spec.environment().forEach(builder::addEnvironmentVariable);
      spec.labels().forEach(builder::addLabel);
      if (spec.workingDirectory() != null && !spec.workingDirectory().isBlank()) {
        builder.setWorkingDirectory(AbsoluteUnixPath.get(spec.workingDirectory()));
      }
      if (spec.entrypoint() != null && !spec.entrypoint().isEmpty()) {
        builder.setEntrypoint(spec.entrypoint());
      }
      if (spec.cmd() != null && !spec.cmd().isEmpty()) {
        builder.setProgramArguments(spec.cmd());
      }
      for (PlannedLayer layer : layersOnBase(plan)) {
        builder.addFileEntriesLayer(toJib(layer));
      }

      LayerProgress progress = new LayerProgress();
      boolean insecure = jibInsecureMode(plan.base(), plan.target(), spec.allowInsecureRegistries());
      Containerizer containerizer;
      String repository;
      Path tarball = null;
      if (plan.target().isPresent()) {
        ImageReference target = plan.target().get();
        repository = repository(target);
        ImageReference tagged = target.withQualifier(plan.hashTag());
        containerizer = Containerizer.to(withCredentials(RegistryImage.named(tagged), tagged));
        for (String tag : allTags(plan, target).subList(1, allTags(plan, target).size())) {
          containerizer.withAdditionalTag(tag);
        }
      } else {
        repository = spec.to() != null && !spec.to().isBlank() ? repository(parse(spec.to(), "to")) : LOCAL_REPOSITORY;
        Files.createDirectories(spec.outputDirectory());
        tarball = spec.outputDirectory().resolve("image.tar");
        containerizer = Containerizer.to(TarImage.at(tarball).named(repository + ":" + plan.hashTag()));
      }
      containerizer.setToolName("datahub-maven-plugin")
          .setToolVersion(spec.toolVersion())
          .setAllowInsecureRegistries(insecure)
          .setBaseImageLayersCache(spec.cacheDirectory().resolve("base"))
          .setApplicationLayersCache(spec.cacheDirectory().resolve("application"))
          .addEventHandler(LogEvent.class, event -> {
            log.debug("jib: " + event.getMessage());
            progress.onLog(event);
          })
          .addEventHandler(TimerEvent.class, progress::onTimer);

      JibContainer container = insecure ? CredentialsOverHttp.allowDuring(() -> builder.containerize(containerizer))
          : builder.containerize(containerizer);
      String digest = container.getDigest().toString();
      if (plan.target().isPresent()) {
        progress.report(plan, registry(plan.target().get().getRegistry()), plan.target().get().getRepository(), digest, log);
      } else {
        log.info("Wrote " + tarball + " (" + Files.size(tarball) + " bytes); load it with 'docker load -i " + tarball
            + "' or 'podman load -i " + tarball + "'");
      }
      List<String> tags = plan.target().isPresent() ? allTags(plan, plan.target().get()) : List.of(plan.hashTag());
      return new BuiltImage(repository, digest, container.getImageId().toString(), tags, plan.hashTag(), spec.from(),
          plan.baseDigest(), plan.inputHash(), plan.target().isPresent(), tarball == null ? null : tarball.toString(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataHubException("image build interrupted");
    } catch (ExecutionException e) {
      throw translate(plan, e.getCause() == null ? e : e.getCause());
    } catch (Exception e) {
      throw translate(plan, e);
    }
  }

  private interface JibCall {
    JibContainer call() throws Exception;
  }

  /**
   * Whether Jib runs in its insecure mode. That mode is global to a build: Jib then accepts an unverifiable
   * certificate, or falls back to plain HTTP, for <em>every</em> registry it talks to, and
   * {@link CredentialsOverHttp} lets credentials follow. So it is switched on only when a registry of this build
   * really needs it (listed, and its probe found plain HTTP or a certificate that does not verify), and only when
   * every registry the build touches is listed; otherwise a registry that is not listed would lose its TLS
   * verification during this build, and the build fails here instead, before anything is pushed.
   */
  private boolean jibInsecureMode(Optional<ImageReference> base, Optional<ImageReference> target, Set<String> listed) {
    List<String> touched = new java.util.ArrayList<>();
    base.ifPresent(b -> touched.add(b.getRegistry()));
    target.ifPresent(t -> touched.add(t.getRegistry()));
    return jibInsecureMode(touched, h -> registry(h).plainHttp(), listed);
  }

  /** The rule of {@link #jibInsecureMode(Optional, Optional, Set)}, given what the probes found. */
  static boolean jibInsecureMode(List<String> touched, java.util.function.Predicate<String> relaxedByProbe,
      Set<String> listed) {
    List<String> relaxed = touched.stream().distinct().filter(relaxedByProbe).toList();
    if (relaxed.isEmpty()) {
      return false;
    }
    List<String> verified = touched.stream().distinct().filter(h -> !listed.contains(h)).toList();
    if (!verified.isEmpty()) {
      throw new DataHubException("this build reaches " + String.join(", ", relaxed) + " without TLS verification "
          + "(<allowInsecureRegistries>) and " + String.join(", ", verified) + " with it, but Jib relaxes TLS for "
          + "every registry of a build at once — give " + String.join(", ", relaxed) + " a certificate the JVM "
          + "trusts, or also list " + String.join(", ", verified) + " if it may lose verification too");
    }
    return true;
  }

  private DataHubException translate(Plan plan, Throwable e) {
    if (e instanceof DataHubException d) {
      return d;
    }
    String name = e.getClass().getSimpleName();
    String message = String.valueOf(e.getMessage());
    if (name.contains("Unauthorized") || name.contains("AuthenticationFailed") || message.contains("401")
        || message.contains("403")) {
      String host = plan.target().map(ImageReference::getRegistry).orElse(plan.base().map(ImageReference::getRegistry).orElse("?"));
      return new DataHubException("registry refused the credentials or the access (" + firstLine(message) + ") — add a"
          + " <server> with id '" + host + "' and a username/password that may push to settings.xml, or 'docker login " + host + "'");
    }
    return new DataHubException("image build failed: " + name + ": " + firstLine(message)
        + " — see the lines above; run with -X for details");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private RegistryImage withCredentials(RegistryImage image, ImageReference reference) {
    Optional<RegistryCredential> credential = credentials.forRegistry(reference.getRegistry());
    credential.ifPresent(c -> image.addCredential(c.username(), c.password()));
    // then what Jib itself would use: ~/.docker/config.json (docker login) and the well-known credential helpers
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(reference, event -> log.debug(event.getMessage()));
    image.addCredentialRetriever(factory.dockerConfig());
    image.addCredentialRetriever(factory.wellKnownCredentialHelpers());
    return image;
  }

  private static FileEntriesLayer toJib(PlannedLayer layer) {
    FileEntriesLayer.Builder builder = FileEntriesLayer.builder().setName(layer.name());
    for (ImageFile file : layer.files()) {
      builder.addEntry(new FileEntry(file.source(), AbsoluteUnixPath.get(file.pathInImage()),
          JibPermissions.of(file.mode()), FIXED_TIME,
          file.owner() != null ? file.owner() : layer.owner()));
    }
    return builder.build();
  }

  private BuiltImage record(BuiltImage image, ImageSpec spec) {
    image.writeTo(spec.outputDirectory());
    log.info("Built image " + image.reference() + " (tags: " + String.join(", ", image.tags()) + ")");
    return image;
  }

  /**
   * Collects Jib's per-blob events and turns them into one line per layer, counting only bytes the
   * registry received. A blob is present (Jib logs "Skipping push; BLOB already exists …"), mounted
   * (Jib's "pushBlob POST digest" request, a cross-repository mount from the base's repository, was
   * answered 201, so no "pushBlob PATCH" followed on that timer) or uploaded (its bytes were PATCHed).
   */
  private static final class LayerProgress {
    private static final String POST = "pushBlob POST ";
    private static final String PATCH = "pushBlob PATCH";

    private final Set<String> alreadyPresent = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<TimerEvent.Timer, String> posted = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> postedDigests = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Jib names every blob it does not push ("Skipping push/pull; BLOB already exists …"). */
    void onLog(LogEvent event) {
      String message = event.getMessage();
      String digest = Digest.in(message);
      if (digest != null && message.startsWith("Skipping") && message.contains("already exists")) {
        alreadyPresent.add(digest);
      }
    }

    void onTimer(TimerEvent event) {
      String description = event.getDescription();
      if (event.getState() == TimerEvent.State.START && description.startsWith(POST)) {
        String digest = Digest.in(description);
        if (digest != null) {
          posted.put(event.getTimer(), digest);
          postedDigests.add(digest);
        }
      } else if (event.getState() == TimerEvent.State.LAP && description.startsWith(PATCH)) {
        String digest = posted.get(event.getTimer());
        if (digest != null) {
          sent.add(digest);
        }
      }
    }

    /** How a blob reached the target repository. */
    enum Outcome { UPLOADED, MOUNTED, PRESENT }

    Outcome outcome(String digest) {
      if (alreadyPresent.contains(digest)) {
        return Outcome.PRESENT;
      }
      // a POST without a PATCH is a mount the registry accepted; anything else we did not see counts as sent
      return postedDigests.contains(digest) && !sent.contains(digest) ? Outcome.MOUNTED : Outcome.UPLOADED;
    }

    void report(Plan plan, RegistryApi registry, String repository, String digest, StepLog log) throws IOException {
      ManifestLayers manifest = ManifestLayers.read(registry, repository, digest);
      List<ManifestLayers.Blob> layers = manifest.layers();
      int ours = plan.layers().size();
      int baseCount = layers.size() - ours;
      long uploadedBytes = 0;
      int uploadedBlobs = 0;
      int mountedBlobs = 0;
      for (int i = 0; i < layers.size(); i++) {
        ManifestLayers.Blob blob = layers.get(i);
        String name = i < baseCount ? "base layer " + (i + 1) : "layer '" + plan.layers().get(i - baseCount).name() + "'";
        String shortDigest = blob.digest().substring(0, 19);
        switch (outcome(blob.digest())) {
          case UPLOADED -> {
            uploadedBytes += blob.size();
            uploadedBlobs++;
            log.info(name + ": uploaded " + blob.size() + " bytes (" + shortDigest + ")");
          }
          case MOUNTED -> {
            mountedBlobs++;
            log.info(name + ": mounted from the base's repository, 0 bytes sent (" + shortDigest + ")");
          }
          case PRESENT -> log.info(name + ": already present (" + shortDigest + ")");
        }
      }
      boolean configUploaded = outcome(manifest.config().digest()) == Outcome.UPLOADED;
      if (configUploaded) {
        uploadedBytes += manifest.config().size();
        uploadedBlobs++;
      }
      log.info("Uploaded " + uploadedBlobs + " blob(s), " + uploadedBytes + " bytes" + (configUploaded ? " (incl. config)" : "")
          + (mountedBlobs > 0 ? "; mounted " + mountedBlobs + " blob(s) from the base's repository" : ""));
    }
  }
}
