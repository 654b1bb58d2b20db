pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet

// The model manager: the Gemma 4 catalog with a fit estimate for this
// machine, Hugging Face search, the downloads, and the installed models.
// Everything it shows and does goes through ModelManager.
Dialog {
    id: dialog
    required property ModelManager manager
    required property Theme theme
    // Emitted when the user picks an installed model to chat with.
    signal useModel(string path)
    title: qsTr("Models")
    modal: true
    // Flat: a bordered surface on a scrim (the same under every renderer).
    Overlay.modal: Rectangle { color: dialog.theme.scrim }
    background: Rectangle { color: dialog.theme.surface; radius: dialog.theme.radius; border.color: dialog.theme.border }
    standardButtons: Dialog.Close
    width: parent ? parent.width * 0.92 : 900
    height: parent ? parent.height * 0.92 : 680
    property alias currentTab: tabs.currentIndex
    onOpened: manager.probeMachine()

    component Muted: Label {
        color: dialog.theme.mutedText
        wrapMode: Text.Wrap
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: dialog.theme.spacing / 2

        TabBar {
            id: tabs
            Layout.fillWidth: true
            TabButton { icon.source: dialog.theme.icon("sparkles"); icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize; text: qsTr("Catalog"); Accessible.name: text }
            TabButton { icon.source: dialog.theme.icon("search"); icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize; text: qsTr("Search Hugging Face"); Accessible.name: text }
            TabButton { icon.source: dialog.theme.icon("download"); icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize; text: qsTr("Downloads (%1)").arg(dialog.manager.downloads.count); Accessible.name: text }
            TabButton { icon.source: dialog.theme.icon("hard-drive"); icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize; text: qsTr("Installed (%1)").arg(dialog.manager.installed.count); Accessible.name: text }
        }

        Rectangle {
            Layout.fillWidth: true
            visible: dialog.manager.error !== ""
            color: dialog.theme.errorBackground
            radius: dialog.theme.radius
            implicitHeight: errorRow.implicitHeight + dialog.theme.spacing
            RowLayout {
                id: errorRow
                anchors.fill: parent
                anchors.margins: dialog.theme.spacing / 2
                Label {
                    Layout.fillWidth: true
                    text: dialog.manager.error
                    color: dialog.theme.error
                    wrapMode: Text.Wrap
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: text
                }
                ToolButton {
                    icon.source: dialog.theme.icon("x")
                    display: AbstractButton.IconOnly
                    onClicked: dialog.manager.dismissError()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Dismiss")
                    Accessible.name: qsTr("Dismiss")
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            // Catalog
            ColumnLayout {
                RowLayout {
                    Muted { text: dialog.manager.machineText === "" ? qsTr("Checking this machine…") : dialog.manager.machineText; Layout.fillWidth: true }
                    Label { text: qsTr("Context") }
                    SpinBox {
                        from: 512
                        to: 262144
                        stepSize: 1024
                        editable: true
                        value: dialog.manager.contextLength
                        onValueModified: dialog.manager.contextLength = value
                        Accessible.name: qsTr("Context length for the fit estimate")
                    }
                }
                ListView {
                    id: catalogList
                    objectName: "catalogList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: dialog.theme.spacing / 2
                    model: dialog.manager.catalog
                    ScrollBar.vertical: ScrollBar {}
                    delegate: Rectangle {
                        id: entry
                        required property string entryId
                        required property string name
                        required property string description
                        required property string license
                        required property string repo
                        required property string fit
                        required property string fitReason
                        required property double sizeBytes
                        required property bool installed
                        width: catalogList.width - 12
                        implicitHeight: entryRow.implicitHeight + dialog.theme.spacing
                        radius: dialog.theme.radius
                        color: dialog.theme.surface
                        RowLayout {
                            id: entryRow
                            anchors.fill: parent
                            anchors.margins: dialog.theme.spacing / 2
                            ColumnLayout {
                                Layout.fillWidth: true
                                Label { text: entry.name; font.bold: true; color: dialog.theme.text }
                                Muted { Layout.fillWidth: true; text: entry.description }
                                Muted {
                                    Layout.fillWidth: true
                                    text: qsTr("%1 · about %2 · %3").arg(entry.repo).arg(dialog.manager.formatBytes(entry.sizeBytes)).arg(entry.license)
                                }
                            }
                            Label {
                                text: entry.fit === "fits" ? qsTr("Fits") : entry.fit === "may be slow" ? qsTr("May be slow") : qsTr("Won't fit")
                                color: entry.fit === "fits" ? "#16a34a" : entry.fit === "may be slow" ? "#d97706" : dialog.theme.error
                                font.bold: true
                                ToolTip.visible: fitArea.containsMouse
                                ToolTip.text: entry.fitReason
                                Accessible.name: qsTr("%1: %2").arg(text).arg(entry.fitReason)
                                MouseArea { id: fitArea; anchors.fill: parent; hoverEnabled: true }
                            }
                            Button {
                                text: entry.installed ? qsTr("Installed") : qsTr("Download")
                                icon.source: dialog.theme.icon(entry.installed ? "check" : "download")
                                icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                                enabled: !entry.installed && !dialog.manager.busy
                                onClicked: if (dialog.manager.downloadCatalogEntry(entry.entryId)) tabs.currentIndex = 2
                                Accessible.name: qsTr("Download %1").arg(entry.name)
                            }
                        }
                    }
                }
            }

            // Search
            ColumnLayout {
                RowLayout {
                    TextField {
                        id: query
                        Layout.fillWidth: true
                        placeholderText: qsTr("Search Gemma 4 GGUF repositories (e.g. gemma-4 e4b)")
                        text: "gemma-4"
                        onAccepted: dialog.manager.search(text)
                        Accessible.name: qsTr("Search text")
                    }
                    Button {
                        text: qsTr("Search")
                        icon.source: dialog.theme.icon("search")
                        icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                        enabled: !dialog.manager.busy
                        onClicked: dialog.manager.search(query.text)
                        Accessible.name: text
                    }
                    BusyIndicator { running: dialog.manager.busy; implicitWidth: 32; implicitHeight: 32 }
                }
                SplitView {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    ListView {
                        id: repoList
                        SplitView.preferredWidth: parent.width * 0.45
                        clip: true
                        model: dialog.manager.searchResults
                        ScrollBar.vertical: ScrollBar {}
                        delegate: ItemDelegate {
                            id: repoRow
                            required property string repo
                            required property double downloads
                            required property double likes
                            width: repoList.width
                            text: qsTr("%1  ·  %2 downloads · %3 likes").arg(repo).arg(downloads).arg(likes)
                            highlighted: dialog.manager.currentRepo === repo
                            onClicked: dialog.manager.openRepo(repo)
                            Accessible.name: repo
                        }
                    }
                    ListView {
                        id: fileList
                        clip: true
                        model: dialog.manager.repoFiles
                        ScrollBar.vertical: ScrollBar {}
                        header: Muted {
                            width: fileList.width
                            text: dialog.manager.currentRepo === "" ? qsTr("Pick a repository to see its GGUF files.")
                                                                    : dialog.manager.currentRepo
                        }
                        delegate: RowLayout {
                            id: fileRow
                            required property string path
                            required property double size
                            required property int parts
                            width: fileList.width
                            Label {
                                Layout.fillWidth: true
                                text: fileRow.parts > 1 ? qsTr("%1 (%2 parts)").arg(fileRow.path).arg(fileRow.parts) : fileRow.path
                                elide: Text.ElideMiddle
                                color: dialog.theme.text
                            }
                            Muted { text: dialog.manager.formatBytes(fileRow.size) }
                            Button {
                                text: qsTr("Download")
                                icon.source: dialog.theme.icon("download")
                                icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                                onClicked: if (dialog.manager.downloadRepoFile(fileRow.path)) tabs.currentIndex = 2
                                Accessible.name: qsTr("Download %1").arg(fileRow.path)
                            }
                        }
                    }
                }
            }

            // Downloads
            ListView {
                id: downloadList
                objectName: "downloadList"
                clip: true
                spacing: dialog.theme.spacing / 2
                model: dialog.manager.downloads
                ScrollBar.vertical: ScrollBar {}
                Muted {
                    anchors.centerIn: parent
                    visible: downloadList.count === 0
                    text: qsTr("No downloads. Pick a model in the catalog or search Hugging Face.")
                }
                delegate: Rectangle {
                    id: job
                    required property int jobId
                    required property string name
                    required property string state
                    required property double receivedBytes
                    required property double totalBytes
                    required property double bytesPerSecond
                    required property double etaSeconds
                    required property string error
                    required property int fileCount
                    required property int currentFileIndex
                    width: downloadList.width - 12
                    implicitHeight: jobColumn.implicitHeight + dialog.theme.spacing
                    radius: dialog.theme.radius
                    color: dialog.theme.surface
                    ColumnLayout {
                        id: jobColumn
                        anchors.fill: parent
                        anchors.margins: dialog.theme.spacing / 2
                        RowLayout {
                            Label { text: job.name; font.bold: true; color: dialog.theme.text; Layout.fillWidth: true }
                            Button {
                                visible: job.state === "downloading" || job.state === "queued"
                                text: qsTr("Pause")
                                icon.source: dialog.theme.icon("circle-stop")
                                icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                                onClicked: dialog.manager.downloads.pause(job.jobId)
                                Accessible.name: qsTr("Pause %1").arg(job.name)
                            }
                            Button {
                                visible: job.state === "paused" || job.state === "failed"
                                text: job.state === "failed" ? qsTr("Retry") : qsTr("Resume")
                                icon.source: dialog.theme.icon("rotate-ccw")
                                icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                                onClicked: dialog.manager.downloads.resume(job.jobId)
                                Accessible.name: qsTr("Resume %1").arg(job.name)
                            }
                            Button {
                                visible: job.state !== "done" && job.state !== "cancelled"
                                text: qsTr("Cancel")
                                icon.source: dialog.theme.icon("x")
                                icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                                onClicked: dialog.manager.downloads.cancel(job.jobId)
                                Accessible.name: qsTr("Cancel %1").arg(job.name)
                            }
                            Button {
                                visible: job.state === "done" || job.state === "cancelled" || job.state === "failed"
                                text: qsTr("Remove from list")
                                onClicked: dialog.manager.downloads.remove(job.jobId)
                                Accessible.name: qsTr("Remove %1 from the list").arg(job.name)
                            }
                        }
                        ProgressBar {
                            Layout.fillWidth: true
                            from: 0
                            to: job.totalBytes > 0 ? job.totalBytes : 1
                            value: job.receivedBytes
                            indeterminate: job.totalBytes <= 0 && job.state === "downloading"
                            Accessible.name: qsTr("Progress of %1").arg(job.name)
                        }
                        Muted {
                            Layout.fillWidth: true
                            text: {
                                const done = dialog.manager.formatBytes(job.receivedBytes) + " / " + dialog.manager.formatBytes(job.totalBytes)
                                const file = job.fileCount > 1 ? qsTr(" · file %1 of %2").arg(job.currentFileIndex + 1).arg(job.fileCount) : ""
                                if (job.state === "downloading")
                                    return qsTr("%1 · %2/s · %3 left").arg(done).arg(dialog.manager.formatBytes(job.bytesPerSecond))
                                           .arg(dialog.manager.formatDuration(job.etaSeconds)) + file
                                if (job.state === "verifying") return qsTr("Verifying the checksum…") + file
                                if (job.state === "failed") return qsTr("Failed: %1").arg(job.error)
                                if (job.state === "done") return qsTr("Done and verified · %1").arg(dialog.manager.formatBytes(job.totalBytes))
                                if (job.state === "paused") return qsTr("Paused at %1").arg(done)
                                if (job.state === "queued") return qsTr("Waiting for another download to finish")
                                return qsTr("Cancelled")
                            }
                        }
                    }
                }
            }

            // Installed
            ColumnLayout {
                RowLayout {
                    Muted {
                        Layout.fillWidth: true
                        text: qsTr("%1 in %2").arg(dialog.manager.formatBytes(dialog.manager.installed.totalBytes)).arg(dialog.manager.modelsDir)
                    }
                    Button {
                        text: qsTr("Change folder…")
                        icon.source: dialog.theme.icon("folder")
                        icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                        onClicked: folderPicker.open()
                        Accessible.name: qsTr("Change the models folder")
                    }
                    Button {
                        text: qsTr("Import .gguf…")
                        icon.source: dialog.theme.icon("file")
                        icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                        onClicked: importFile.open()
                        Accessible.name: text
                    }
                    Button {
                        text: qsTr("Import folder…")
                        icon.source: dialog.theme.icon("folder-open")
                        icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                        onClicked: importFolder.open()
                        Accessible.name: qsTr("Import a Hugging Face model folder")
                    }
                    CheckBox {
                        id: linkInstead
                        text: qsTr("Link instead of copy")
                        Accessible.name: text
                    }
                }
                ListView {
                    id: installedList
                    objectName: "installedList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: dialog.theme.spacing / 2
                    model: dialog.manager.installed
                    ScrollBar.vertical: ScrollBar {}
                    Muted {
                        anchors.centerIn: parent
                        visible: installedList.count === 0
                        text: qsTr("No models yet. Download one, import one, or drop a .gguf file here.")
                    }
                    DropArea {
                        anchors.fill: parent
                        onDropped: (drop) => {
                            for (const url of drop.urls) dialog.manager.importModel(url.toString(), linkInstead.checked)
                        }
                    }
                    delegate: Rectangle {
                        id: installedModel
                        required property string name
                        required property string path
                        required property string variant
                        required property string weightType
                        required property double parameters
                        required property double sizeBytes
                        required property int contextLength
                        required property string error
                        required property string kind
                        required property bool seesImages
                        required property string projector
                        required property bool imageSupportAvailable
                        width: installedList.width - 12
                        implicitHeight: modelRow.implicitHeight + dialog.theme.spacing
                        radius: dialog.theme.radius
                        color: dialog.theme.surface
                        RowLayout {
                            id: modelRow
                            anchors.fill: parent
                            anchors.margins: dialog.theme.spacing / 2
                            ColumnLayout {
                                Layout.fillWidth: true
                                RowLayout {
                                    spacing: dialog.theme.spacing / 2
                                    Label { text: installedModel.name; font.bold: true; color: dialog.theme.text }
                                    Label {
                                        // The model reads pictures: its projector is beside it, or its folder has the tower.
                                        objectName: "seesImagesTag"
                                        visible: installedModel.seesImages
                                        text: qsTr("Sees images")
                                        color: dialog.theme.accent
                                        leftPadding: dialog.theme.spacing / 2
                                        rightPadding: dialog.theme.spacing / 2
                                        background: Rectangle { radius: dialog.theme.radius / 2; color: "transparent"; border.color: dialog.theme.accent }
                                        Accessible.name: qsTr("%1 sees images").arg(installedModel.name)
                                    }
                                }
                                Muted {
                                    Layout.fillWidth: true
                                    text: installedModel.error !== "" ? qsTr("Cannot be opened: %1").arg(installedModel.error)
                                          : qsTr("%1 · %2 · %3 B parameters · context %4 · %5").arg(installedModel.variant).arg(installedModel.weightType)
                                            .arg((installedModel.parameters / 1e9).toLocaleString(Qt.locale(), "f", 2)).arg(installedModel.contextLength).arg(dialog.manager.formatBytes(installedModel.sizeBytes))
                                }
                            }
                            Button {
                                // An embedding model serves Documents; the window routes it there.
                                text: installedModel.kind === "embedding" ? qsTr("Use for documents") : qsTr("Chat")
                                icon.source: dialog.theme.icon(installedModel.kind === "embedding" ? "library" : "message-square")
                                icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                                enabled: installedModel.error === ""
                                onClicked: { dialog.useModel(installedModel.path); dialog.close() }
                                Accessible.name: installedModel.kind === "embedding" ? qsTr("Use %1 for document search").arg(installedModel.name)
                                                                                     : qsTr("Chat with %1").arg(installedModel.name)
                            }
                            Button {
                                text: qsTr("Download image support")
                                icon.source: dialog.theme.icon("image")
                                icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                                visible: installedModel.imageSupportAvailable
                                enabled: !dialog.manager.busy
                                onClicked: if (dialog.manager.downloadImageSupport(installedModel.path)) tabs.currentIndex = 2
                                Accessible.name: qsTr("Download image support for %1").arg(installedModel.name)
                            }
                            Button {
                                text: qsTr("Delete…")
                                icon.source: dialog.theme.icon("trash-2")
                                icon.width: dialog.theme.iconSize; icon.height: dialog.theme.iconSize
                                onClicked: { confirmDelete.path = installedModel.path; confirmDelete.projector = installedModel.projector; confirmDelete.open() }
                                Accessible.name: qsTr("Delete %1").arg(installedModel.name)
                            }
                        }
                    }
                }
            }
        }
    }

    Dialog {
        id: confirmDelete
        property string path
        property string projector
        anchors.centerIn: parent
        modal: true
        // Flat: a bordered surface on a scrim (the same under every renderer).
        Overlay.modal: Rectangle { color: dialog.theme.scrim }
        background: Rectangle { color: dialog.theme.surface; radius: dialog.theme.radius; border.color: dialog.theme.border }
        title: qsTr("Delete this model?")
        standardButtons: Dialog.Yes | Dialog.No
        ColumnLayout {
            Label { text: qsTr("%1 will be removed from the disk.").arg(confirmDelete.path); wrapMode: Text.Wrap }
            Label {
                visible: confirmDelete.projector !== ""
                text: qsTr("Its image support, %1, goes too unless another model uses it.").arg(confirmDelete.projector)
                wrapMode: Text.Wrap
            }
        }
        onAccepted: dialog.manager.installed.remove(path)
    }
    FileDialog {
        id: importFile
        nameFilters: [qsTr("GGUF models (*.gguf)")]
        onAccepted: dialog.manager.importModel(selectedFile.toString(), linkInstead.checked)
    }
    FolderDialog {
        id: importFolder
        onAccepted: dialog.manager.importModel(selectedFolder.toString(), linkInstead.checked)
    }
    FolderDialog {
        id: folderPicker
        onAccepted: dialog.manager.setModelsDirUrl(selectedFolder)
    }
}
