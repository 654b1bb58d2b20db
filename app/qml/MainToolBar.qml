pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Facet

// The main window's toolbar: the app's name, the model picker (the model, where
// it runs, loading progress), then icon buttons for the dialogs and an overflow
// menu. It only asks: Main.qml owns the dialogs and opens them on these signals.
ToolBar {
    id: bar
    required property ChatController chat
    required property Theme theme
    required property KeyText keys
    property bool infoAvailable: false

    signal openModel(string path)
    signal openModels()
    signal openDocuments()
    signal openSettings()
    signal openInfo()
    signal openFile()
    signal openFolder()
    signal addRemote()
    signal remoteServers()
    signal showShortcuts()

    // A color's faint tint, behind the badge's text.
    function tint(c) { return Qt.rgba(c.r, c.g, c.b, 0.16) }

    implicitHeight: Math.max(56, row.implicitHeight + bar.theme.spacing)
    background: Rectangle {
        color: bar.theme.sidebar
        Rectangle {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            height: 1
            color: bar.theme.border
        }
    }

    // A toolbar button (IconButton.qml, the chat page's too) whose tooltip names the shortcut.
    component BarButton: IconButton {
        property string label
        property string shortcut
        theme: bar.theme
        size: bar.theme.iconSize + 2
        padding: 8
        iconColor: bar.theme.text
        tip: shortcut === "" ? label : qsTr("%1 (%2)").arg(label).arg(shortcut)
        Accessible.name: label
    }

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: bar.theme.spacing
        anchors.rightMargin: bar.theme.spacing / 2
        spacing: bar.theme.spacing / 2

        Image {
            source: "qrc:/facet/io.github.facet.Facet.svg"
            sourceSize.width: 24
            sourceSize.height: 24
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            Accessible.ignored: true
        }
        Label {
            text: qsTr("Facet")
            font.pixelSize: bar.theme.bodySize + 2
            font.bold: true
            color: bar.theme.text
            rightPadding: bar.theme.spacing
        }

        // The model picker: the loaded model first, then the ones loaded before,
        // then the models of remote servers, then "Add remote server…", then
        // "Remote servers…" (edit, remove) once there are any.
        ComboBox {
            id: modelPicker
            objectName: "modelPicker"
            Layout.preferredWidth: Math.min(420, Math.max(260, bar.width * 0.34))
            model: bar.chat.settings.recentModels.concat(bar.chat.remotes.modelLabels).concat([qsTr("Add remote server…")])
                   .concat(bar.chat.remotes.servers.count > 0 ? [qsTr("Remote servers…")] : [])
            displayText: bar.chat.loading ? (bar.chat.loadTuning ? qsTr("Tuning for this GPU (first load)…") : qsTr("Loading…"))
                         : bar.chat.modelLoaded ? bar.chat.modelName
                         : qsTr("No model")
            enabled: !bar.chat.generating && !bar.chat.loading && count > 0
            readonly property int recentEnd: bar.chat.settings.recentModels.length
            readonly property int remoteEnd: recentEnd + bar.chat.remotes.modelKeys.length
            onActivated: (i) => i < recentEnd ? bar.openModel(bar.chat.settings.recentModels[i])
                                : i < remoteEnd ? bar.chat.loadModel(bar.chat.remotes.modelKeys[i - recentEnd])
                                : i === remoteEnd ? bar.addRemote()
                                : bar.remoteServers()
            Accessible.name: qsTr("Model")
            Accessible.description: bar.chat.modelLoaded ? qsTr("%1 on %2").arg(bar.chat.modelName).arg(bar.chat.deviceName) : displayText
            ToolTip.visible: hovered && !popup.visible
            ToolTip.delay: 500
            ToolTip.text: bar.chat.modelLoaded
                          ? qsTr("%1 on %2. Switch to a model you used before, or a remote server's (Ctrl+Shift+R adds a server)").arg(bar.chat.modelName).arg(bar.chat.deviceName)
                          : qsTr("Switch to a model you used before, or a remote server's (Ctrl+Shift+R adds a server; Remote servers… edits them)")

            implicitHeight: Math.max(44, contentItem.implicitHeight + 10)
            topInset: 0
            bottomInset: 0
            background: Rectangle {
                radius: bar.theme.radius
                color: modelPicker.hovered || modelPicker.popup.visible ? bar.theme.hover : bar.theme.surface
                border.width: modelPicker.visualFocus ? 2 : 1
                border.color: modelPicker.visualFocus ? bar.theme.accent : bar.theme.border
            }
            popup.background: Rectangle {
                color: bar.theme.surface
                radius: bar.theme.radius
                border.color: bar.theme.border
            }
            contentItem: RowLayout {
                spacing: bar.theme.spacing / 2
                Item { implicitWidth: bar.theme.spacing / 2 }
                IconImage {
                    source: bar.theme.icon(bar.chat.deviceKind === "remote" ? "globe" : "box")
                    color: bar.theme.mutedText
                    sourceSize.width: bar.theme.iconSize
                    sourceSize.height: bar.theme.iconSize
                    visible: !bar.chat.loading
                }
                BusyIndicator {
                    running: bar.chat.loading
                    visible: running
                    Layout.preferredWidth: bar.theme.iconSize + 4
                    Layout.preferredHeight: bar.theme.iconSize + 4
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        Layout.fillWidth: true
                        text: modelPicker.displayText
                        elide: Text.ElideMiddle
                        color: bar.theme.text
                        font.bold: bar.chat.modelLoaded
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: bar.chat.modelLoaded && !bar.chat.loading
                        text: bar.chat.deviceName
                        elide: Text.ElideRight
                        color: bar.theme.mutedText
                        font.pixelSize: bar.theme.smallSize
                    }
                }
                // Where the model runs: GPU, CPU or a remote server.
                Rectangle {
                    objectName: "deviceBadge"
                    visible: bar.chat.modelLoaded && !bar.chat.loading && bar.chat.deviceKind !== ""
                    radius: height / 2
                    color: bar.chat.deviceKind === "gpu" ? bar.tint(bar.theme.success)
                         : bar.chat.deviceKind === "cpu" ? bar.tint(bar.theme.warning)
                         : bar.tint(bar.theme.accent)
                    implicitWidth: badgeText.implicitWidth + bar.theme.spacing
                    implicitHeight: badgeText.implicitHeight + 4
                    Label {
                        id: badgeText
                        anchors.centerIn: parent
                        text: bar.chat.deviceKind === "gpu" ? qsTr("GPU") : bar.chat.deviceKind === "cpu" ? qsTr("CPU") : qsTr("Remote")
                        font.pixelSize: bar.theme.smallSize
                        font.bold: true
                        color: bar.chat.deviceKind === "gpu" ? bar.theme.success
                             : bar.chat.deviceKind === "cpu" ? bar.theme.warning : bar.theme.accent
                        Accessible.name: text
                    }
                }
            }
            delegate: ItemDelegate {
                id: entry
                required property int index
                required property string modelData
                width: ListView.view ? ListView.view.width : implicitWidth
                highlighted: modelPicker.highlightedIndex === index
                icon.source: bar.theme.icon(index < modelPicker.recentEnd ? "box"
                                            : index < modelPicker.remoteEnd ? "globe"
                                            : index === modelPicker.remoteEnd ? "plus" : "server")
                icon.color: bar.theme.mutedText
                icon.width: bar.theme.iconSize
                icon.height: bar.theme.iconSize
                text: index < modelPicker.recentEnd ? modelData.substring(modelData.lastIndexOf("/") + 1) : modelData
                Accessible.name: text
                ToolTip.visible: hovered && index < modelPicker.recentEnd
                ToolTip.delay: 700
                ToolTip.text: modelData
            }
        }

        ProgressBar {
            visible: bar.chat.loading
            value: bar.chat.loadProgress
            indeterminate: bar.chat.loadTuning
            Layout.preferredWidth: 140
            Accessible.name: qsTr("Loading model")
        }

        Item { Layout.fillWidth: true }

        BarButton {
            iconName: "box"
            label: qsTr("Models")
            shortcut: bar.keys.native("Ctrl+M")
            onClicked: bar.openModels()
        }
        BarButton {
            objectName: "documentsButton"
            iconName: "library"
            label: qsTr("Documents")
            shortcut: bar.keys.native("Ctrl+D")
            onClicked: bar.openDocuments()
        }
        BarButton {
            iconName: "info"
            label: qsTr("Model info")
            enabled: bar.infoAvailable
            onClicked: bar.openInfo()
        }
        BarButton {
            iconName: "settings"
            label: qsTr("Settings")
            shortcut: bar.keys.native("Ctrl+,")
            onClicked: bar.openSettings()
        }
        BarButton {
            id: moreButton
            objectName: "moreButton"
            iconName: "ellipsis"
            label: qsTr("More")
            onClicked: moreMenu.opened ? moreMenu.close() : moreMenu.open()
            Menu {
                id: moreMenu
                objectName: "moreMenu"
                y: moreButton.height
                x: moreButton.width - width
                background: Rectangle {
                    implicitWidth: 280
                    color: bar.theme.surface
                    radius: bar.theme.radius
                    border.color: bar.theme.border
                }
                component MenuEntry: MenuItem {
                    property string iconName
                    property string shortcut
                    icon.source: bar.theme.icon(iconName)
                    icon.color: bar.theme.text
                    icon.width: bar.theme.iconSize
                    icon.height: bar.theme.iconSize
                    Accessible.name: text
                    // The shortcut, right-aligned in muted text.
                    Label {
                        visible: parent.shortcut !== ""
                        text: parent.shortcut
                        color: bar.theme.mutedText
                        font.pixelSize: bar.theme.smallSize
                        anchors.right: parent.right
                        anchors.rightMargin: bar.theme.spacing
                        anchors.verticalCenter: parent.verticalCenter
                    }
                    rightPadding: bar.theme.spacing * 7
                }
                MenuEntry {
                    text: qsTr("Open model file…")
                    iconName: "file"
                    shortcut: bar.keys.standard(StandardKey.Open)
                    onTriggered: bar.openFile()
                }
                MenuEntry {
                    text: qsTr("Open model folder…")
                    iconName: "folder-open"
                    onTriggered: bar.openFolder()
                }
                MenuSeparator {}
                MenuEntry {
                    text: qsTr("Add remote server…")
                    iconName: "plus"
                    shortcut: bar.keys.native("Ctrl+Shift+R")
                    onTriggered: bar.addRemote()
                }
                MenuEntry {
                    text: qsTr("Remote servers…")
                    iconName: "server"
                    onTriggered: bar.remoteServers()
                }
                MenuSeparator {}
                MenuEntry {
                    text: qsTr("Keyboard shortcuts")
                    iconName: "keyboard"
                    shortcut: bar.keys.native("F1")
                    onTriggered: bar.showShortcuts()
                }
            }
        }
    }
}
