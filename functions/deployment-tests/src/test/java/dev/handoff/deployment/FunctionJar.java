package dev.handoff.deployment;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * One function's deployment artifact, the jar a CodeUri names, opened the way Lambda opens it: its own class
 * loader over the platform's, so nothing from the test classpath stands in for what the jar lacks.
 */
final class FunctionJar implements AutoCloseable {
    final Path path;
    private final URLClassLoader loader;
    private final JarFile jar;

    private FunctionJar(Path path) throws IOException {
        this.path = path;
        this.jar = new JarFile(path.toFile());
        this.loader = new URLClassLoader(new URL[] {path.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    static FunctionJar open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new AssertionError(path + " does not exist: build the function jars first (./mvnw package)");
        }
        try {
            return new FunctionJar(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a class without initialising it (a handler's static state may need the environment). */
    Class<?> load(String className) throws ClassNotFoundException {
        return Class.forName(className, false, loader);
    }

    boolean has(String entry) {
        return jar.getEntry(entry) != null;
    }

    /** The public static final String fields of a class in the jar: name to value. */
    Map<String, String> stringConstants(String className) throws ReflectiveOperationException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : load(className).getFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
                out.put(f.getName(), (String) f.get(null));
            }
        }
        return out;
    }

    /**
     * The string literals of a class and its nested classes, read from their constant pools. javac copies every
     * {@code static final String} constant a class uses into its own pool, so this tells which of another class's
     * constants ({@code Env.TABLE_NAME}) a handler names, without running it.
     */
    Set<String> stringLiterals(String className) throws IOException {
        String base = className.replace('.', '/');
        Set<String> out = new LinkedHashSet<>();
        for (JarEntry e : Collections.list(jar.entries())) {
            String name = e.getName();
            if (name.equals(base + ".class") || (name.startsWith(base + "$") && name.endsWith(".class"))) {
                try (InputStream in = jar.getInputStream(e)) {
                    out.addAll(constantPoolStrings(in.readAllBytes()));
                }
            }
        }
        if (out.isEmpty() && !has(base + ".class")) throw new AssertionError(className + " is not in " + path);
        return out;
    }

    /** The CONSTANT_String values of a class file (JVMS §4.4). */
    static List<String> constantPoolStrings(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> stringIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF(); // Utf8: u2 length + modified UTF-8, as DataInput reads it
                case 8 -> stringIndexes.add(in.readUnsignedShort()); // String
                case 7, 16, 19, 20 -> in.readUnsignedShort(); // Class, MethodType, Module, Package
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4); // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                case 5, 6 -> { // Long, Double take two slots
                    in.skipBytes(8);
                    i++;
                }
                case 15 -> in.skipBytes(3); // MethodHandle
                default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        List<String> out = new ArrayList<>();
        for (int index : stringIndexes) out.add(utf8[index]);
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            loader.close();
        } finally {
            jar.close();
        }
    }
}
