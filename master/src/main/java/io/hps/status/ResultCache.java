package io.hps.status;

import io.hps.protocol.Batch;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.study.BadFileException;
import io.hps.study.StudyDirectory;
import io.hps.study.StudyScan;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code hps status} keeps between calls, so that a study of 100,000 results is not read and parsed again
 * each time: for each result file it counted (one for a setting a batch proposed, with that setting's
 * parameters) what status needs of it: the result with only its last epoch (whose {@code trainSeconds} is the
 * sum over all its epochs, as the {@code trainSeconds} metric reads it) and only the numbers of its
 * {@code info}; for each batch file it read, its size and time. Each call lists {@code results/}: a name the
 * cache lacks is read and checked against its batch, a gone one is forgotten, the others are taken from the
 * cache without a look at their files. That is sound because the protocol never replaces or removes a result
 * file that status counts (a worker publishes with a link, which never replaces; the master quarantines only
 * results status does not count either); a file edited by hand is seen by {@code hps verify} (digests) or
 * {@code hps status --no-cache}. Files status does not count are never kept, so they are named on every call;
 * a changed or new batch file is read again.
 *
 * <p>The cache is derived, never part of the study: deleting it costs one slow call. It lives outside the study
 * (which may be on a read-only or shared disk): in {@code $XDG_CACHE_HOME/hps/status} (else
 * {@code ~/.cache/hps/status}; a relative {@code $XDG_CACHE_HOME} is ignored; the {@code hps.cache} property
 * overrides), one file per study path, dropped when the study is another (see {@link #identity}: its
 * {@code study.json} changed, or its folders are not the same ones). A cache that cannot be read, whose sum
 * does not match, or that cannot be written is ignored; {@code hps status --no-cache} writes it anew.
 */
public final class ResultCache {
  private static final String MAGIC = "hps-status-cache 3";
  private static final ResultCache NONE = new ResultCache(null);

  private final Path file;
  private boolean ignoreExisting;
  private java.util.concurrent.CompletableFuture<Contents> loading;

  private ResultCache(Path file) {
    this.file = file;
  }

  /** No cache: every file is read (what {@code hps run}'s closing summary uses). */
  public static ResultCache none() {
    return NONE;
  }

  /** The cache of the study at {@code root}, in the user's cache folder. */
  public static ResultCache forStudy(Path root) {
    String configured = System.getProperty("hps.cache");
    Path base;
    if (configured != null) {
      base = Path.of(configured);
    } else {
      String xdg = System.getenv("XDG_CACHE_HOME");
      // a relative XDG_CACHE_HOME is to be ignored (the XDG base directory specification)
      base = (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
          : Path.of(System.getProperty("user.home"), ".cache")).resolve("hps");
    }
    return at(base.resolve("status").resolve(key(root) + ".bin"));
  }

  /** A cache in {@code file}. */
  static ResultCache at(Path file) {
    return new ResultCache(file);
  }

  /** The same cache, not read but written anew from every file ({@code hps status --no-cache}). */
  public ResultCache rebuilt() {
    ResultCache fresh = new ResultCache(file);
    fresh.ignoreExisting = true;
    return fresh;
  }

  /** Where the cache is kept (empty for {@link #none()}). */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  private static String key(Path root) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(root.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A file's size and modification time (batches, study.json): when either changes, the file is read again. */
  record Stamp(long size, long modified) {
    static Optional<Stamp> of(Path file) throws IOException {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return Optional.of(new Stamp(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
      } catch (NoSuchFileException gone) {
        return Optional.empty();
      }
    }
  }

  /** A counted result file: its name and slim result. */
  private record Counted(String name, Result result) {}

  /** The batch files by name, and the counted result files in name order (a list: 100,000 map entries cost). */
  private record Contents(Map<String, Stamp> batches, List<Counted> results) {
    static Contents empty() {
      return new Contents(new HashMap<>(), new ArrayList<>());
    }
  }

  /**
   * The results status counts, of the files in {@code results/} that {@code scan} listed, in id order, each
   * with its last epoch only (see the class comment); each file that could not be read or is not counted adds
   * a line to {@code unreadable}, as {@link StudyStatus#verifiedResults} says it.
   */
  public List<Result> verifiedResults(StudyDirectory study, StudyScan scan, List<String> unreadable)
      throws IOException {
    List<String> names = resultFiles(study, scan);
    names.sort(null); // sorted already but for stray files: the cache's files are matched to them in order
    Contents cached = contents(study);
    Contents now = Contents.empty();
    boolean changed = false;
    Map<String, Map<String, Params>> proposals = new HashMap<>(); // batch file name -> its settings' parameters
    for (String name : StudyDirectory.list(study.batches())) {
      Optional<Stamp> stamp = Stamp.of(study.batches().resolve(name));
      if (stamp.isEmpty()) {
        continue;
      }
      if (stamp.get().equals(cached.batches().get(name))) {
        now.batches().put(name, stamp.get());
        continue;
      }
      changed = true;
      Optional<Map<String, Params>> read = readBatch(study, name, unreadable);
      if (read.isPresent()) {
        proposals.put(name, read.get());
        now.batches().put(name, stamp.get());
      }
    }
    List<Result> counted = new ArrayList<>();
    int next = 0; // the first cached file not yet passed
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      while (next < cached.results().size() && cached.results().get(next).name().compareTo(name) < 0) {
        next++;
      }
      Counted known = next < cached.results().size() ? cached.results().get(next) : null;
      if (known != null && known.name().equals(name)) {
        counted.add(known.result());
        now.results().add(known);
        continue;
      }
      changed = true;
      Result r;
      try {
        r = StudyDirectory.readResult(study.results().resolve(name));
      } catch (BadFileException e) {
        unreadable.add("results/" + name + ": " + e.getMessage());
        continue;
      } catch (NoSuchFileException gone) {
        continue;
      }
      Params expected = proposed(study, r, now.batches().keySet(), proposals, unreadable);
      if (expected == null || !expected.sameAs(r.params())) {
        unreadable.add("results/" + r.id() + ".json: " + (expected == null ? "for a setting no batch proposed"
            : "its parameters differ from the setting's") + StudyStatus.NOT_COUNTED);
        continue;
      }
      Result slim = slim(r);
      counted.add(slim);
      now.results().add(new Counted(name, slim));
    }
    changed |= now.batches().size() != cached.batches().size() || now.results().size() != cached.results().size();
    if (file != null && changed) {
      save(study, now);
    }
    return counted;
  }

  /**
   * Starts reading the cache on another thread, so that it overlaps reading the study's configuration and
   * listing its folders (decoding 100,000 results takes about 0.6 s); {@link #verifiedResults} waits for it. Without this call, it reads it itself.
   */
  public ResultCache prefetch(StudyDirectory study) {
    if (file != null && loading == null) {
      loading = java.util.concurrent.CompletableFuture.supplyAsync(() -> load(study), runnable -> {
        Thread t = new Thread(runnable, "hps-status-cache");
        t.setDaemon(true);
        t.start();
      });
    }
    return this;
  }

  private Contents contents(StudyDirectory study) {
    return loading != null ? loading.join() : load(study);
  }

  /** The names in {@code results/} as the scan listed them: the results' files, then any other file there. */
  private static List<String> resultFiles(StudyDirectory study, StudyScan scan) {
    List<String> names = new ArrayList<>(scan.results().size());
    for (String id : scan.results()) {
      names.add(id + ".json");
    }
    for (Path stray : scan.strays()) {
      if (stray.getParent().equals(study.results())) {
        names.add(stray.getFileName().toString());
      }
    }
    return names;
  }

  /**
   * The parameters a batch proposed for {@code r}'s setting: looked up in the batch the result names first,
   * then in every readable batch (a result may name another batch than the one that proposed its setting).
   */
  private static Params proposed(StudyDirectory study, Result r, java.util.Set<String> readable,
      Map<String, Map<String, Params>> proposals, List<String> unreadable) {
    String own = Batch.fileName(r.batch());
    if (readable.contains(own)) {
      Params p = batch(study, own, proposals, unreadable).get(r.id());
      if (p != null) {
        return p;
      }
    }
    for (String name : readable) {
      Params p = batch(study, name, proposals, unreadable).get(r.id());
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static Map<String, Params> batch(StudyDirectory study, String name, Map<String, Map<String, Params>> read,
      List<String> unreadable) {
    Map<String, Params> settings = read.get(name);
    if (settings == null) {
      settings = readBatch(study, name, unreadable).orElse(Map.of());
      read.put(name, settings);
    }
    return settings;
  }

  private static Optional<Map<String, Params>> readBatch(StudyDirectory study, String name, List<String> unreadable) {
    try {
      Batch batch = StudyDirectory.readBatch(study.batches().resolve(name));
      Map<String, Params> out = new HashMap<>();
      batch.settings().forEach(s -> out.put(s.id(), s.params()));
      return Optional.of(out);
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      unreadable.add("batches/" + name + ": " + e.getMessage()); // status shows what it can
      return Optional.empty();
    }
  }

  /** {@code r} with what status reads of it: its last epoch, training seconds summed, info's numbers. */
  static Result slim(Result r) {
    List<Epoch> epochs = List.of();
    if (!r.epochs().isEmpty()) {
      Epoch last = r.epochs().get(r.epochs().size() - 1);
      Double trainSeconds = 0.0;
      for (Epoch e : r.epochs()) {
        if (e.trainSeconds() == null) {
          trainSeconds = null; // the metric then reads the last epoch's elapsedSeconds, which is kept
          break;
        }
        trainSeconds += e.trainSeconds();
      }
      epochs = List.of(new Epoch(1, last.trainLoss(), last.valLoss(), last.valError(), last.elapsedSeconds(),
          trainSeconds, last.valSeconds(), last.metrics()));
    }
    Map<String, Object> numbers = new LinkedHashMap<>();
    r.info().forEach((k, v) -> {
      if (v instanceof Number n) {
        numbers.put(k, n.doubleValue());
      }
    });
    return new Result(r.schema(), r.id(), r.status(), r.reason(), r.point(), r.repeat(), r.batch(), r.attempt(),
        r.worker(), r.created(), r.claimed(), r.finished(), r.params(), epochs, numbers, r.budget(), null);
  }

  private Contents load(StudyDirectory study) {
    if (file == null || ignoreExisting || !Files.isRegularFile(file)) {
      return Contents.empty();
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(bytes, 0, bytes.length - Long.BYTES);
      if (bytes.length < Long.BYTES || in.getLong(bytes.length - Long.BYTES) != crc.getValue()) {
        return Contents.empty(); // damaged (a sum is kept: a change that still parses is not trusted)
      }
      in.limit(bytes.length - Long.BYTES);
      Codec codec = new Codec();
      if (!MAGIC.equals(codec.readString(in)) || !identity(study).equals(codec.readString(in))) {
        return Contents.empty(); // another format, a hash collision, or another study at the same path
      }
      Contents c = Contents.empty();
      for (int n = in.getInt(), i = 0; i < n; i++) {
        c.batches().put(codec.readString(in), new Stamp(in.getLong(), in.getLong()));
      }
      for (int n = in.getInt(), i = 0; i < n; i++) {
        c.results().add(new Counted(codec.readString(in), codec.readResult(in)));
      }
      return c;
    } catch (IOException | RuntimeException damaged) {
      return Contents.empty(); // read every file again; the next save replaces it
    }
  }

  private void save(StudyDirectory study, Contents contents) {
    Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      String identity = identity(study);
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 16);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes, 1 << 16))) {
        Codec codec = new Codec();
        codec.writeString(out, MAGIC);
        codec.writeString(out, identity);
        out.writeInt(contents.batches().size());
        for (var e : contents.batches().entrySet()) {
          codec.writeString(out, e.getKey());
          out.writeLong(e.getValue().size());
          out.writeLong(e.getValue().modified());
        }
        out.writeInt(contents.results().size());
        for (Counted c : contents.results()) { // in name order, as they were matched
          codec.writeString(out, c.name());
          codec.writeResult(out, c.result());
        }
      }
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(bytes.toByteArray());
      new DataOutputStream(bytes).writeLong(crc.getValue());
      Files.createDirectories(file.getParent());
      Files.write(tmp, bytes.toByteArray());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a cache that cannot be written is no cache: status already has its answer
      }
    }
  }

  /**
   * Which study this is, beyond its path: its folder's path, the digest of its study.json and the identity of
   * its study and results folders on their filesystem (device and inode where the filesystem gives them), so
   * that a study made again at the same path, or restored from a copy, is not taken for the one cached.
   */
  private static String identity(StudyDirectory study) throws IOException {
    byte[] config = Files.readAllBytes(study.config());
    String digest;
    try {
      digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(config));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return study.root().toAbsolutePath().normalize() + "\n" + digest + "\n" + folderKey(study.root()) + "\n"
        + folderKey(study.results());
  }

  private static String folderKey(Path dir) throws IOException {
    Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
    return key == null ? "" : key.toString();
  }

  /**
   * The binary form of a slim result. Strings repeat (parameter names, workers, metric names), so each is
   * written once and then by its number.
   */
  private static final class Codec {
    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<String> strings = new ArrayList<>();

    void writeString(DataOutputStream out, String s) throws IOException {
      if (s == null) {
        out.writeInt(-1);
        return;
      }
      Integer n = numbers.get(s);
      if (n != null) {
        out.writeInt(n);
        return;
      }
      numbers.put(s, numbers.size());
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(-2);
      out.writeInt(bytes.length);
      out.write(bytes);
    }

    String readString(java.nio.ByteBuffer in) {
      int n = in.getInt();
      if (n == -1) {
        return null;
      }
      if (n == -2) {
        int length = in.getInt();
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        strings.add(s);
        return s;
      }
      return strings.get(n);
    }

    void writeResult(DataOutputStream out, Result r) throws IOException {
      out.writeInt(r.schema());
      writeString(out, r.id());
      writeString(out, r.status().name());
      writeString(out, r.reason());
      out.writeInt(r.point());
      out.writeInt(r.repeat());
      out.writeInt(r.batch());
      out.writeInt(r.attempt());
      writeString(out, r.worker());
      writeInstant(out, r.created());
      writeInstant(out, r.claimed());
      writeInstant(out, r.finished());
      out.writeInt(r.params().values().size());
      for (var e : r.params().values().entrySet()) {
        writeString(out, e.getKey());
        Object v = e.getValue();
        if (v instanceof String s) {
          out.writeByte(0);
          writeString(out, s);
        } else if (v instanceof Boolean b) {
          out.writeByte(1);
          out.writeBoolean(b);
        } else if (v instanceof Long l) {
          out.writeByte(2);
          out.writeLong(l);
        } else {
          out.writeByte(3);
          out.writeDouble(((Number) v).doubleValue());
        }
      }
      out.writeBoolean(!r.epochs().isEmpty());
      if (!r.epochs().isEmpty()) {
        Epoch e = r.epochs().get(0);
        out.writeDouble(e.trainLoss());
        out.writeDouble(e.valLoss());
        out.writeDouble(e.valError());
        out.writeDouble(e.elapsedSeconds());
        writeNullable(out, e.trainSeconds());
        writeNullable(out, e.valSeconds());
        writeNumbers(out, e.metrics() == null ? Map.of() : e.metrics());
      }
      Map<String, Double> info = new LinkedHashMap<>();
      r.info().forEach((k, v) -> info.put(k, ((Number) v).doubleValue()));
      writeNumbers(out, info);
      out.writeInt(r.budget() == null ? -1 : r.budget());
    }

    Result readResult(java.nio.ByteBuffer in) {
      int schema = in.getInt();
      String id = readString(in);
      Status status = Status.valueOf(readString(in));
      String reason = readString(in);
      int point = in.getInt();
      int repeat = in.getInt();
      int batch = in.getInt();
      int attempt = in.getInt();
      String worker = readString(in);
      Instant created = readInstant(in);
      Instant claimed = readInstant(in);
      Instant finished = readInstant(in);
      int count = in.getInt();
      Map<String, Object> params = new LinkedHashMap<>(count * 2);
      for (int i = 0; i < count; i++) {
        String name = readString(in);
        byte kind = in.get();
        params.put(name, switch (kind) {
          case 0 -> readString(in);
          case 1 -> (in.get() != 0);
          case 2 -> in.getLong();
          case 3 -> in.getDouble();
          default -> throw new IllegalStateException("unknown value kind " + kind);
        });
      }
      List<Epoch> epochs = List.of();
      if ((in.get() != 0)) {
        double trainLoss = in.getDouble();
        double valLoss = in.getDouble();
        double valError = in.getDouble();
        double elapsed = in.getDouble();
        Double trainSeconds = readNullable(in);
        Double valSeconds = readNullable(in);
        Map<String, Double> metrics = readNumbers(in);
        epochs = List.of(new Epoch(1, trainLoss, valLoss, valError, elapsed, trainSeconds, valSeconds,
            metrics.isEmpty() ? null : metrics));
      }
      Map<String, Object> info = java.util.Collections.unmodifiableMap(readNumbers(in));
      int budget = in.getInt();
      return new Result(schema, id, status, reason, point, repeat, batch, attempt, worker, created, claimed, finished,
          new Params(params), epochs, info, budget < 0 ? null : budget, null);
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
      out.writeBoolean(t != null);
      if (t != null) {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
      }
    }

    private static Instant readInstant(java.nio.ByteBuffer in) {
      return in.get() != 0 ? Instant.ofEpochSecond(in.getLong(), in.getInt()) : null;
    }

    private static void writeNullable(DataOutputStream out, Double d) throws IOException {
      out.writeBoolean(d != null);
      if (d != null) {
        out.writeDouble(d);
      }
    }

    private static Double readNullable(java.nio.ByteBuffer in) {
      return in.get() != 0 ? in.getDouble() : null;
    }

    private void writeNumbers(DataOutputStream out, Map<String, Double> numbers) throws IOException {
      out.writeInt(numbers.size());
      for (var e : numbers.entrySet()) {
        writeString(out, e.getKey());
        out.writeDouble(e.getValue());
      }
    }

    private Map<String, Double> readNumbers(java.nio.ByteBuffer in) {
      int n = in.getInt();
      if (n == 0) {
        return Map.of(); // most results: no metrics, no info
      }
      Map<String, Double> out = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        out.put(readString(in), in.getDouble());
      }
      return out;
    }
  }
}
