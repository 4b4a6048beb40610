package io.edgenfsd.server;

import io.edgenfsd.compound.OperationTable;
import io.edgenfsd.ops.Access;
import io.edgenfsd.ops.Allocate;
import io.edgenfsd.ops.BackchannelCtl;
import io.edgenfsd.ops.Clone;
import io.edgenfsd.ops.BindConnToSession;
import io.edgenfsd.ops.Close;
import io.edgenfsd.ops.Commit;
import io.edgenfsd.ops.Copy;
import io.edgenfsd.ops.Create;
import io.edgenfsd.ops.Deallocate;
import io.edgenfsd.ops.CreateSession;
import io.edgenfsd.ops.DelegReturn;
import io.edgenfsd.ops.DestroyClientId;
import io.edgenfsd.ops.DestroySession;
import io.edgenfsd.ops.ExchangeId;
import io.edgenfsd.ops.ExclusiveVerifiers;
import io.edgenfsd.ops.FreeStateid;
import io.edgenfsd.ops.GetAttr;
import io.edgenfsd.ops.GetFh;
import io.edgenfsd.ops.GetXattr;
import io.edgenfsd.ops.Link;
import io.edgenfsd.ops.Lock;
import io.edgenfsd.ops.LockTest;
import io.edgenfsd.ops.LockU;
import io.edgenfsd.ops.ListXattrs;
import io.edgenfsd.ops.Lookup;
import io.edgenfsd.ops.Lookupp;
import io.edgenfsd.ops.OffloadCancel;
import io.edgenfsd.ops.OffloadStatus;
import io.edgenfsd.ops.Open;
import io.edgenfsd.ops.OpenDowngrade;
import io.edgenfsd.ops.PutFh;
import io.edgenfsd.ops.PutPubFh;
import io.edgenfsd.ops.PutRootFh;
import io.edgenfsd.ops.Read;
import io.edgenfsd.ops.ReadDir;
import io.edgenfsd.ops.ReadPlus;
import io.edgenfsd.ops.Readlink;
import io.edgenfsd.ops.ReclaimComplete;
import io.edgenfsd.ops.Remove;
import io.edgenfsd.ops.RemoveXattr;
import io.edgenfsd.ops.Rename;
import io.edgenfsd.ops.RestoreFh;
import io.edgenfsd.ops.SaveFh;
import io.edgenfsd.ops.SecInfo;
import io.edgenfsd.ops.SecInfoNoName;
import io.edgenfsd.ops.Seek;
import io.edgenfsd.ops.Sequence;
import io.edgenfsd.ops.SetAttr;
import io.edgenfsd.ops.SetXattr;
import io.edgenfsd.ops.TestStateid;
import io.edgenfsd.ops.Verify;
import io.edgenfsd.ops.Write;

/** The operations this server implements; every other opcode answers NFS4ERR_NOTSUPP. */
public final class Operations {
    private Operations() {
    }

    public static OperationTable table() {
        return new OperationTable()
                .register(OperationTable.ACCESS, new Access())
                .register(OperationTable.CLOSE, new Close())
                .register(OperationTable.COMMIT, new Commit())
                .register(OperationTable.CREATE, new Create())
                .register(OperationTable.DELEGRETURN, new DelegReturn())
                .register(OperationTable.GETATTR, new GetAttr())
                .register(OperationTable.GETFH, new GetFh())
                .register(OperationTable.LINK, new Link())
                .register(OperationTable.LOCK, new Lock())
                .register(OperationTable.LOCKT, new LockTest())
                .register(OperationTable.LOCKU, new LockU())
                .register(OperationTable.LOOKUP, new Lookup())
                .register(OperationTable.LOOKUPP, new Lookupp())
                .register(OperationTable.NVERIFY, new Verify(true))
                .register(OperationTable.OPEN, new Open(new ExclusiveVerifiers()))
                .register(OperationTable.OPEN_DOWNGRADE, new OpenDowngrade())
                .register(OperationTable.PUTFH, new PutFh())
                .register(OperationTable.PUTPUBFH, new PutPubFh())
                .register(OperationTable.PUTROOTFH, new PutRootFh())
                .register(OperationTable.READ, new Read())
                .register(OperationTable.READDIR, new ReadDir())
                .register(OperationTable.READLINK, new Readlink())
                .register(OperationTable.REMOVE, new Remove())
                .register(OperationTable.RENAME, new Rename())
                .register(OperationTable.RESTOREFH, new RestoreFh())
                .register(OperationTable.SAVEFH, new SaveFh())
                .register(OperationTable.SECINFO, new SecInfo())
                .register(OperationTable.SETATTR, new SetAttr())
                .register(OperationTable.VERIFY, new Verify(false))
                .register(OperationTable.WRITE, new Write())
                .register(OperationTable.ALLOCATE, new Allocate())
                .register(OperationTable.COPY, new Copy())
                .register(OperationTable.CLONE, new Clone())
                .register(OperationTable.DEALLOCATE, new Deallocate())
                .register(OperationTable.OFFLOAD_CANCEL, new OffloadCancel())
                .register(OperationTable.OFFLOAD_STATUS, new OffloadStatus())
                .register(OperationTable.READ_PLUS, new ReadPlus())
                .register(OperationTable.SEEK, new Seek())
                .register(OperationTable.GETXATTR, new GetXattr())
                .register(OperationTable.SETXATTR, new SetXattr())
                .register(OperationTable.LISTXATTRS, new ListXattrs())
                .register(OperationTable.REMOVEXATTR, new RemoveXattr())
                .register(OperationTable.BACKCHANNEL_CTL, new BackchannelCtl())
                .register(OperationTable.BIND_CONN_TO_SESSION, new BindConnToSession())
                .register(OperationTable.EXCHANGE_ID, new ExchangeId())
                .register(OperationTable.CREATE_SESSION, new CreateSession())
                .register(OperationTable.DESTROY_SESSION, new DestroySession())
                .register(OperationTable.FREE_STATEID, new FreeStateid())
                .register(OperationTable.SECINFO_NO_NAME, new SecInfoNoName())
                .register(OperationTable.SEQUENCE, new Sequence())
                .register(OperationTable.TEST_STATEID, new TestStateid())
                .register(OperationTable.DESTROY_CLIENTID, new DestroyClientId())
                .register(OperationTable.RECLAIM_COMPLETE, new ReclaimComplete());
    }
}
