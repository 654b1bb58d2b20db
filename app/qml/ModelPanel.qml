pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// Facts about the opened model: what `facet-cli info` prints.
Pane {
    id: panel
    required property ModelInfoController controller
    required property Theme theme

    background: Rectangle { color: panel.theme.surface; radius: panel.theme.radius }

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: scroll.availableWidth
            spacing: panel.theme.spacing / 2

            Label {
                text: qsTr("Model")
                font.pixelSize: panel.theme.titleSize
                color: panel.theme.text
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }

            Repeater {
                model: panel.controller.facts
                delegate: RowLayout {
                    id: row
                    required property string key
                    required property string value
                    Layout.fillWidth: true
                    spacing: panel.theme.spacing
                    Label {
                        text: row.key
                        color: panel.theme.mutedText
                        Layout.preferredWidth: 240
                        elide: Text.ElideRight
                    }
                    Label {
                        text: row.value
                        color: panel.theme.text
                        Layout.fillWidth: true
                        wrapMode: Text.WrapAnywhere
                        Accessible.name: row.key + ": " + row.value
                    }
                }
            }

            Label {
                Layout.topMargin: panel.theme.spacing
                text: qsTr("Layers")
                font.bold: true
                color: panel.theme.text
            }
            Label {
                Layout.fillWidth: true
                text: panel.controller.layersText
                font.family: panel.theme.monoFamily
                color: panel.theme.text
                Accessible.name: qsTr("Layers")
            }
        }
    }
}
