package dev.weir.datapath.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** XDP and tcx links on one end of a veth pair made for each test. */
@KernelTest
class LinkTest {
    private NetFixture.Veth veth;
    private int ifindex;

    @BeforeEach
    void createVeth() {
        veth = NetFixture.Veth.create();
        ifindex = Interfaces.ifindex(veth.name());
    }

    @AfterEach
    void deleteVeth() {
        veth.close();
    }

    @Test
    void xdpLinkAttachesSwapsAtomicallyAndDetachesOnClose() {
        try (KernelProgram first = KernelProgram.load(TestPrograms.xdpReturning("xdp_first", 2));
             KernelProgram second = KernelProgram.load(TestPrograms.xdpReturning("xdp_second", 2));
             KernelProgram stranger = KernelProgram.load(TestPrograms.xdpReturning("xdp_stranger", 2))) {
            try (KernelLink link = KernelLink.attachXdp(first, ifindex)) {
                LinkInfo info = link.info();
                assertThat(info.type()).isEqualTo(LinkInfo.TYPE_XDP);
                assertThat(info.ifindex()).isEqualTo(ifindex);
                assertThat(info.programId()).isEqualTo(id(first));
                assertThat(Attachments.query(ifindex, AttachType.XDP))
                        .isEqualTo(new Attachments(List.of(id(first)), List.of(info.id()), 0));

                assertThatThrownBy(() -> KernelLink.attachXdp(second, ifindex).close())
                        .isInstanceOfSatisfying(BpfException.class, e -> {
                            assertThat(e.command()).isEqualTo(BpfCommand.LINK_CREATE);
                            assertThat(e.errnoName()).isEqualTo("EBUSY");
                        });

                assertThatThrownBy(() -> link.update(second, stranger))
                        .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errnoName()).isEqualTo("EPERM"));
                assertThat(Attachments.query(ifindex, AttachType.XDP).programIds()).containsExactly(id(first));

                link.update(second, first);
                assertThat(Attachments.query(ifindex, AttachType.XDP).programIds()).containsExactly(id(second));
                assertThat(link.info().programId()).isEqualTo(id(second));
            }
            assertThat(Attachments.query(ifindex, AttachType.XDP).programIds()).isEmpty();
        }
    }

    @Test
    void tcxLinksAtIngressAndEgressInOrderWithRevisions() {
        try (KernelProgram a = KernelProgram.load(TestPrograms.tcReturning("tc_a", TestPrograms.TC_ACT_OK));
             KernelProgram b = KernelProgram.load(TestPrograms.tcReturning("tc_b", TestPrograms.TC_ACT_OK));
             KernelProgram c = KernelProgram.load(TestPrograms.tcReturning("tc_c", TestPrograms.TC_ACT_OK))) {
            long revision = Attachments.query(ifindex, AttachType.TCX_INGRESS).revision();
            try (KernelLink ingressA = KernelLink.attachTcx(a, ifindex, AttachType.TCX_INGRESS);
                 KernelLink ingressB = KernelLink.attachTcx(b, ifindex, AttachType.TCX_INGRESS);
                 KernelLink egress = KernelLink.attachTcx(c, ifindex, AttachType.TCX_EGRESS)) {
                Attachments ingress = Attachments.query(ifindex, AttachType.TCX_INGRESS);
                assertThat(ingress.programIds()).containsExactly(id(a), id(b));
                assertThat(ingress.linkIds()).containsExactly(ingressA.info().id(), ingressB.info().id());
                assertThat(ingress.revision()).isEqualTo(revision + 2);
                assertThat(Attachments.query(ifindex, AttachType.TCX_EGRESS).programIds()).containsExactly(id(c));
                assertThat(egress.info().attachType()).isEqualTo(AttachType.TCX_EGRESS.number);

                ingressA.update(c, a);
                assertThat(Attachments.query(ifindex, AttachType.TCX_INGRESS).programIds()).containsExactly(id(c), id(b));
                assertThatThrownBy(() -> ingressB.update(a, a))
                        .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errnoName()).isEqualTo("EPERM"));

                ingressB.detach();
                assertThat(Attachments.query(ifindex, AttachType.TCX_INGRESS).programIds()).containsExactly(id(c));
                assertThat(ingressB.info().ifindex()).as("a detached link has no interface").isZero();
            }
            assertThat(Attachments.query(ifindex, AttachType.TCX_INGRESS).programIds()).isEmpty();
            assertThat(Attachments.query(ifindex, AttachType.TCX_EGRESS).programIds()).isEmpty();
        }
    }

    @Test
    void pinnedLinkKeepsTheProgramAttachedWithoutADescriptor() {
        try (PinFolder folder = PinFolder.create();
             KernelProgram program = KernelProgram.load(TestPrograms.tcReturning("tc_pinned", TestPrograms.TC_ACT_OK))) {
            Path path = folder.resolve("link");
            int linkId;
            try (KernelLink link = KernelLink.attachTcx(program, ifindex, AttachType.TCX_INGRESS)) {
                link.pin(path);
                linkId = link.info().id();
            }
            assertThat(Attachments.query(ifindex, AttachType.TCX_INGRESS).linkIds()).containsExactly(linkId);

            try (KernelLink again = KernelLink.openPinned(path)) {
                assertThat(again.info().id()).isEqualTo(linkId);
            }
            Bpffs.unpin(path);

            // The last reference went with the pin; the kernel releases such links from a work queue.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Attachments.query(ifindex, AttachType.TCX_INGRESS).programIds().isEmpty());
        }
    }

    @Test
    void attachingATcProgramAtXdpIsRefused() {
        try (KernelProgram tc = KernelProgram.load(TestPrograms.tcReturning("tc_at_xdp", 0))) {
            assertThatThrownBy(() -> KernelLink.attachXdp(tc, ifindex).close())
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
            assertThatThrownBy(() -> KernelLink.attachTcx(tc, ifindex, AttachType.XDP))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void everyLinkIsListed() {
        try (KernelProgram program = KernelProgram.load(TestPrograms.xdpReturning("xdp_listed", 2));
             KernelLink link = KernelLink.attachXdp(program, ifindex, XdpMode.GENERIC)) {
            assertThat(LinkInfo.all()).contains(link.info());
        }
    }

    @Test
    void queryingAMissingInterfaceIsEnodev() {
        int missing = 999_999;
        assertThatThrownBy(() -> Attachments.query(missing, AttachType.XDP))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errnoName()).isEqualTo("ENODEV"));
        assertThatThrownBy(() -> Attachments.query(missing, AttachType.TCX_INGRESS))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errnoName()).isEqualTo("ENODEV"));
    }

    private static int id(KernelProgram program) {
        return program.info().id();
    }
}
