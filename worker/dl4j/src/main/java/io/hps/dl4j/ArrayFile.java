package io.hps.dl4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Named float arrays in one file, for checkpoints: a header line naming the format and the model, then
 * per array its name, length and values (big-endian floats). Reading checks everything before anything is
 * assigned, so a bad file leaves the network untouched.
 */
final class ArrayFile {
  private static final String MAGIC = "hps-arrays-1";

  private ArrayFile() {}

  /** Writes {@code arrays} (by name) as {@code file}, tagged with {@code model}. */
  static void write(Path file, String model, Map<String, INDArray> arrays) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeUTF(MAGIC);
      out.writeUTF(model);
      out.writeInt(arrays.size());
      for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
        float[] values;
        try (INDArray copy = e.getValue().castTo(DataType.FLOAT).dup()) {
          values = copy.data().asFloat();
        }
        out.writeUTF(e.getKey());
        out.writeInt(values.length);
        for (float v : values) {
          out.writeFloat(v);
        }
      }
    }
  }

  /**
   * Reads {@code file} and copies its arrays into {@code into} (by name), after checking that the model
   * tag, the names and every length match; throws, assigning nothing, when they do not.
   */
  static void readInto(Path file, String model, Map<String, INDArray> into) throws IOException {
    // Nothing is read from a file that cannot be this network's state: not a regular file (a FIFO would block
    // forever), or larger than its arrays take (a huge file would be read into memory first).
    var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
        java.nio.file.LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      throw new IOException(file.getFileName() + " is not a regular file");
    }
    long most = 1024 + model.length() * 3L;
    for (Map.Entry<String, INDArray> e : into.entrySet()) {
      most += 8 + e.getKey().length() * 3L + 4 * e.getValue().length();
    }
    if (attributes.size() > most) {
      throw new IOException(file.getFileName() + " is " + attributes.size() + " bytes; this network's state takes at"
          + " most " + most);
    }
    Map<String, float[]> read = new LinkedHashMap<>();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw new IOException(file.getFileName() + " is not an hps checkpoint");
      }
      String tag = in.readUTF();
      if (!model.equals(tag)) {
        throw new IOException(file.getFileName() + " is of " + tag + ", not " + model);
      }
      int count = in.readInt();
      if (count != into.size()) {
        throw new IOException(file.getFileName() + " holds " + count + " arrays, not " + into.size());
      }
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        INDArray target = into.get(name);
        int length = in.readInt();
        if (target == null || target.length() != length) {
          throw new IOException(file.getFileName() + ": array " + name + " of " + length + " values does not fit this"
              + " network");
        }
        float[] values = new float[length];
        for (int j = 0; j < length; j++) {
          values[j] = in.readFloat();
        }
        read.put(name, values);
      }
      if (in.read() != -1) {
        throw new IOException(file.getFileName() + " has data after its last array");
      }
    } catch (EOFException e) {
      throw new IOException(file.getFileName() + " is cut short", e);
    }
    for (Map.Entry<String, float[]> e : read.entrySet()) {
      INDArray target = into.get(e.getKey());
      try (INDArray source = org.nd4j.linalg.factory.Nd4j.createFromArray(e.getValue())) {
        target.assign(source.reshape(target.shape()).castTo(target.dataType()));
      }
    }
  }
}
