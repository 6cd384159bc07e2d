package dev.weir.datapath.kernel;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs the real kernel's bpf(2). It runs where bpf is usable; elsewhere
 * it is skipped with the reason, except under CI=true, where it fails: CI can run these tests, so
 * a skip there would hide a broken setup.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("kernel")
@ExtendWith(KernelTestExtension.class)
public @interface KernelTest {}
