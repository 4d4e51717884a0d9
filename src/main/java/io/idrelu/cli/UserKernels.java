package io.idrelu.cli;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads users' kernel classes for {@code idrelu audit --kernel-class NAME --classpath JAR}: a
 * {@link URLClassLoader} over the given jars whose parent is idrelu's loader (so {@link Kernel} is the same
 * interface on both sides), then the public no-argument constructor. Every way this can go wrong is a
 * {@link UsageException} (exit 2) that says what to fix.
 */
final class UserKernels {
    private UserKernels() { }

    /**
     * The user's kernel named by {@code --kernel-class} (from {@code classpath}, or from idrelu's own class path
     * when it is {@code null}): a {@link Kernel}, a {@link FloatKernel} or both.
     */
    static Object one(String kernelClass, String classpath) {
        return classpath == null
                ? instantiate(UserKernels.class.getClassLoader(), kernelClass, "idrelu's class path")
                : load(classpath, List.of(kernelClass)).get(0);
    }

    /** {@code classpath} with every entry made absolute, so that a replay file works from any directory. */
    static String absolute(String classpath) {
        if (classpath == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                out.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, out);
    }

    /** Instances of the named classes, each a {@link Kernel}, a {@link FloatKernel} or both. */
    static List<Object> load(String classpath, List<String> names) {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            if (!Files.exists(p)) {
                throw new UsageException("--classpath: " + p + " does not exist (build your kernel jar first, e.g. mvn package)");
            }
            if (!Files.isDirectory(p) && !Files.isReadable(p)) {
                throw new UsageException("--classpath: " + p + " is not readable");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new UsageException("--classpath: " + p + ": " + e.getMessage());
            }
        }
        if (urls.isEmpty()) {
            throw new UsageException("--classpath is empty: give the jar that holds your kernel class");
        }
        // deliberately not closed: the kernels' classes load lazily while the battery runs; the JVM exits after
        URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), UserKernels.class.getClassLoader());
        List<Object> out = new ArrayList<>();
        for (String name : names) {
            out.add(instantiate(loader, name.strip(), classpath));
        }
        return out;
    }

    static Object instantiate(ClassLoader loader, String name, String classpath) {
        Class<?> c;
        try {
            c = Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new UsageException("--kernel-class " + name + ": no such class in " + classpath
                    + " (give the fully qualified name, e.g. com.example.MyKernel)");
        } catch (LinkageError e) {
            throw new UsageException("--kernel-class " + name + ": the class cannot be loaded: " + e
                    + " (compiled for a newer Java, or a dependency missing from --classpath?)");
        }
        if (!Kernel.class.isAssignableFrom(c) && !FloatKernel.class.isAssignableFrom(c)) {
            throw new UsageException("--kernel-class " + name + " implements neither " + Kernel.class.getName() + " nor "
                    + FloatKernel.class.getName());
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            throw new UsageException("--kernel-class " + name + " is abstract: give a concrete class");
        }
        Constructor<?> ctor;
        try {
            ctor = c.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new UsageException("--kernel-class " + name + " has no public no-argument constructor (add one, or a "
                    + "public subclass that has one)");
        }
        try {
            return ctor.newInstance();
        } catch (IllegalAccessException e) {
            throw new UsageException("--kernel-class " + name + " is not accessible (make the class public): " + e.getMessage());
        } catch (InvocationTargetException e) {
            throw new UsageException("--kernel-class " + name + ": the constructor threw " + e.getCause());
        } catch (InstantiationException e) {
            throw new UsageException("--kernel-class " + name + " cannot be instantiated: " + e);
        }
    }
}
