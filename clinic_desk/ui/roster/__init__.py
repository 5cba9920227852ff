"""The portal roster window (``portalRoster``): every patient's portal status, and bulk invitations."""
