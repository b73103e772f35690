-- Each hand-over (centre → resolving unit → centre) records who gave and who took the dossier:
-- the control slip (phiếu kiểm soát, form 06) is a view of these events.
ALTER TABLE dossier_event ADD COLUMN giver TEXT;
ALTER TABLE dossier_event ADD COLUMN taker TEXT;
