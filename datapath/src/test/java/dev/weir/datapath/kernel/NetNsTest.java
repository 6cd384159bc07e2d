package dev.weir.datapath.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Interface lookups and attachments inside a network namespace made by the test. */
@KernelTest
class NetNsTest {

    @Test
    void loopbackIsIndexOne() {
        assertThat(Interfaces.ifindex("lo")).isEqualTo(1);
        assertThat(Interfaces.find("weir-none")).isEmpty();
        assertThatThrownBy(() -> Interfaces.ifindex("weir-none"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("weir-none");
    }

    @Test
    void codeInTheNamespaceSeesItsInterfacesOnly() throws Exception {
        try (NetFixture.Netns netns = NetFixture.Netns.create();
             NetFixture.Veth veth = NetFixture.Veth.create()) {
            netns.moveInto(veth.peer());
            Thread caller = Thread.currentThread();

            OptionalInt inside = NetNs.run(NetNs.named(netns.name()), () -> {
                assertThat(Thread.currentThread()).isNotSameAs(caller);
                assertThat(Interfaces.ifindex("lo")).isEqualTo(1);
                assertThat(Interfaces.find(veth.name())).as("the host end stays outside").isEmpty();
                return Interfaces.find(veth.peer());
            });

            assertThat(inside).isPresent();
            assertThat(Interfaces.find(veth.peer())).as("moved away from the host").isEmpty();
            assertThat(Interfaces.find(veth.name())).isPresent();
        }
    }

    @Test
    void attachAndQueryInsideTheNamespace() throws Exception {
        try (NetFixture.Netns netns = NetFixture.Netns.create();
             NetFixture.Veth veth = NetFixture.Veth.create();
             KernelProgram program = KernelProgram.load(TestPrograms.tcReturning("tc_in_netns", 0))) {
            netns.moveInto(veth.peer());

            int attached = NetNs.run(NetNs.named(netns.name()), () -> {
                int ifindex = Interfaces.ifindex(veth.peer());
                try (KernelLink link = KernelLink.attachTcx(program, ifindex, AttachType.TCX_INGRESS)) {
                    assertThat(link.info().ifindex()).isEqualTo(ifindex);
                    return Attachments.query(ifindex, AttachType.TCX_INGRESS).programIds().size();
                }
            });

            assertThat(attached).isEqualTo(1);
        }
    }

    @Test
    void whatTheCodeThrowsComesBack() {
        assertThatThrownBy(() -> NetNs.run(NetNs.ofProcess(ProcessHandle.current().pid()), () -> {
            throw new IOException("from inside");
        })).isInstanceOf(IOException.class).hasMessage("from inside");
    }

    @Test
    void aMissingNamespaceIsReported() {
        assertThatThrownBy(() -> NetNs.run(NetNs.named("weir-no-such-netns"), () -> 1))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOENT"));
    }
}
